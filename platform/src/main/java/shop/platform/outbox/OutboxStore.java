package shop.platform.outbox;

import java.util.List;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The relay's side of the outbox. {@link #claimBatch()} locks rows with {@code SKIP LOCKED}, so two
 * instances relay disjoint batches; the rows are deleted in the same transaction after the broker
 * confirmed every message of the batch.
 */
public class OutboxStore {

    private final JdbcTemplate jdbc;
    private final int batchSize;

    public OutboxStore(JdbcTemplate jdbc, int batchSize) {
        this.jdbc = jdbc;
        this.batchSize = batchSize;
    }

    @Transactional(propagation = Propagation.MANDATORY)
    public List<OutboxMessage> claimBatch() {
        return jdbc.query("SELECT id, message_id, type, payload::text, traceparent FROM outbox ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED",
                (rs, i) -> new OutboxMessage(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5)),
                batchSize);
    }

    @Transactional(propagation = Propagation.MANDATORY)
    public void markPublished(List<OutboxMessage> published) {
        Long[] ids = published.stream().map(OutboxMessage::id).toArray(Long[]::new);
        jdbc.update("DELETE FROM outbox WHERE id = ANY(?)", (Object) ids);
    }

    public long backlog() {
        Long n = jdbc.queryForObject("SELECT count(*) FROM outbox", Long.class);
        return n == null ? 0 : n;
    }
}
