package shop.platform.retention;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Bean {@code retention}: deletes rows of the service's {@link RetentionTable}s older than the retention, in
 * bounded batches ({@code routes/platform/retention.yaml} calls {@link #purge()} on a timer), and counts each
 * deleted row in {@code shop_retention_deleted_total{table}}. Refuses to be created - so the service refuses to
 * start - when the retention is not longer than every {@link RetentionWindow} that relies on those rows.
 *
 * <p>Safe on every instance at once: a batch takes the rows it deletes with {@code FOR UPDATE SKIP LOCKED}, so
 * two instances delete different rows and neither waits; the age is judged by the database's clock.
 */
public class Retention {

    private static final Logger log = LoggerFactory.getLogger(Retention.class);

    private final RetentionProperties props;
    private final JdbcTemplate jdbc;
    private final List<RetentionTable> tables;
    private final Map<String, Counter> deleted = new LinkedHashMap<>();

    public Retention(RetentionProperties props, JdbcTemplate jdbc, List<RetentionTable> tables, List<RetentionWindow> windows,
                     MeterRegistry meters) {
        this.props = props;
        this.jdbc = jdbc;
        this.tables = List.copyOf(tables);
        check(props.period(), windows);
        for (RetentionTable t : this.tables) {
            deleted.put(t.table(), Counter.builder("shop.retention.deleted").tag("table", t.table())
                    .description("rows deleted by the retention job (older than SHOP_RETENTION)").register(meters));
        }
        log.info("retention: rows older than {} are deleted from {} (longer than {})", props.period(),
                this.tables.stream().map(RetentionTable::table).toList(),
                windows.stream().map(w -> w.name() + " " + w.duration()).toList());
    }

    /** The start-up check: the retention must outlive every window that relies on the rows it deletes. */
    static void check(Duration retention, List<RetentionWindow> windows) {
        List<String> problems = new ArrayList<>();
        for (RetentionWindow w : windows) {
            if (retention.compareTo(w.duration()) <= 0) {
                problems.add(w.name() + " is " + w.duration() + " (" + w.reason() + ")");
            }
        }
        if (!problems.isEmpty()) {
            String message = "SHOP_RETENTION " + retention + " must be longer than every window that relies on the rows it deletes: "
                    + String.join("; ", problems);
            log.error(message);
            throw new IllegalStateException(message);
        }
    }

    /** One run: per table, batches of at most batch-size rows until none is old enough or max-batches ran. */
    public Map<String, Long> purge() {
        Map<String, Long> counts = new LinkedHashMap<>();
        long seconds = props.period().toSeconds();
        for (RetentionTable t : tables) {
            String sql = "DELETE FROM " + t.table() + " WHERE ctid = ANY (ARRAY (SELECT t.ctid FROM " + t.table() + " t WHERE t."
                    + t.timestampColumn() + " < now() - make_interval(secs => ?)"
                    + (t.condition() == null ? "" : " AND (" + t.condition() + ")") + " LIMIT ? FOR UPDATE SKIP LOCKED))";
            long total = 0;
            for (int batch = 0; batch < props.maxBatches(); batch++) {
                int n = jdbc.update(sql, seconds, props.batchSize());
                total += n;
                deleted.get(t.table()).increment(n);
                if (n < props.batchSize()) {
                    break;
                }
            }
            counts.put(t.table(), total);
        }
        if (counts.values().stream().anyMatch(n -> n > 0)) {
            log.info("retention: deleted rows older than {}: {}", props.period(), counts);
        }
        return counts;
    }
}
