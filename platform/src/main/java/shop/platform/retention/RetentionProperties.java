package shop.platform.retention;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code shop.retention.*} (shop-platform.properties; docs/messaging.md, Retention).
 *
 * @param period       rows older than this are deleted ({@code SHOP_RETENTION}, ISO-8601, default P30D)
 * @param replayWindow how old a dead letter may be and still be replayed ({@code SHOP_REPLAY_WINDOW}, default P7D)
 * @param batchSize    rows per DELETE statement, each in a transaction of its own
 * @param maxBatches   statements per table and run: one run never holds the database for long
 */
@ConfigurationProperties("shop.retention")
public record RetentionProperties(Duration period, Duration replayWindow, Integer batchSize, Integer maxBatches) {

    public RetentionProperties {
        period = period == null ? Duration.ofDays(30) : period;
        replayWindow = replayWindow == null ? Duration.ofDays(7) : replayWindow;
        batchSize = batchSize == null ? 1000 : batchSize;
        maxBatches = maxBatches == null ? 100 : maxBatches;
        if (period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("SHOP_RETENTION (shop.retention.period) must be positive, was " + period);
        }
        if (batchSize < 1 || batchSize > 100_000 || maxBatches < 1) {
            throw new IllegalArgumentException("shop.retention.batch-size must be 1..100000 and max-batches positive, was "
                    + batchSize + " / " + maxBatches);
        }
    }
}
