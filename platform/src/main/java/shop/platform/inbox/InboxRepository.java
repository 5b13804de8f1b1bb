package shop.platform.inbox;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.support.service.ServiceSupport;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Camel idempotent repository on the service's own {@code inbox} table. {@link #add} inserts with
 * {@code ON CONFLICT DO NOTHING} in the caller's transaction: a concurrent copy of the same message
 * waits on the row lock and is then skipped cleanly, never turned into an error (CAMEL-NOTES 15), and a
 * rolled-back effect takes its inbox row with it. Use it eagerly inside a transacted route, with
 * {@code removeOnFailure: false} (the rollback already removes the row).
 */
public class InboxRepository extends ServiceSupport implements IdempotentRepository {

    private final JdbcTemplate jdbc;
    private final String consumer;
    private final Counter duplicates;

    public InboxRepository(JdbcTemplate jdbc, String consumer, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.consumer = consumer;
        this.duplicates = Counter.builder("shop.inbox.duplicates")
                .description("messages skipped because their messageId was already processed")
                .tag("consumer", consumer).register(meters);
    }

    @Override
    public boolean add(String messageId) {
        boolean added = jdbc.update("INSERT INTO inbox (consumer, message_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
                consumer, messageId) == 1;
        if (!added) {
            duplicates.increment();
        }
        return added;
    }

    @Override
    public boolean contains(String messageId) {
        Boolean found = jdbc.queryForObject("SELECT EXISTS (SELECT 1 FROM inbox WHERE consumer = ? AND message_id = ?)",
                Boolean.class, consumer, messageId);
        return Boolean.TRUE.equals(found);
    }

    @Override
    public boolean remove(String messageId) {
        return jdbc.update("DELETE FROM inbox WHERE consumer = ? AND message_id = ?", consumer, messageId) == 1;
    }

    @Override
    public boolean confirm(String messageId) {
        return true;
    }

    @Override
    public void clear() {
        throw new UnsupportedOperationException("the inbox is never cleared wholesale");
    }
}
