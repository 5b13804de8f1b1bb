package shop.inventory.config;

import java.time.Duration;
import java.time.temporal.ChronoUnit;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.convert.DurationUnit;

/**
 * Settings of the inventory (application.properties, environment variables in brackets).
 *
 * @param reservationTtl   how long a reservation stays HELD without a confirm ({@code RESERVATION_TTL},
 *                         default 15 minutes; {@code 15m}, {@code PT15M}, {@code 30s}; a bare number is seconds)
 * @param commandConsumers listener threads on {@code inventory.commands}
 * @param expiry           the expiry worker
 */
@ConfigurationProperties("shop.inventory")
public record InventoryProperties(@DurationUnit(ChronoUnit.SECONDS) Duration reservationTtl, Integer commandConsumers,
                                  Expiry expiry) {

    public InventoryProperties {
        reservationTtl = reservationTtl == null ? Duration.ofMinutes(15) : reservationTtl;
        commandConsumers = commandConsumers == null ? 4 : commandConsumers;
        expiry = expiry == null ? new Expiry(null, null, null, null) : expiry;
        if (reservationTtl.isNegative() || reservationTtl.isZero()) {
            throw new IllegalArgumentException("shop.inventory.reservation-ttl (RESERVATION_TTL) must be positive, was " + reservationTtl);
        }
        if (commandConsumers < 1) {
            throw new IllegalArgumentException("shop.inventory.command-consumers must be at least 1, was " + commandConsumers);
        }
    }

    /**
     * @param enabled            whether the worker's route starts
     * @param interval           pause between two runs (the route's timer period; Camel reads the same property)
     * @param batchSize          reservations expired per transaction
     * @param maxBatchesPerRun   batches one run may take before it waits for the next tick
     */
    public record Expiry(Boolean enabled, Duration interval, Integer batchSize, Integer maxBatchesPerRun) {

        public Expiry {
            enabled = enabled == null || enabled;
            interval = interval == null ? Duration.ofSeconds(5) : interval;
            batchSize = batchSize == null ? 100 : batchSize;
            maxBatchesPerRun = maxBatchesPerRun == null ? 20 : maxBatchesPerRun;
            if (interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("shop.inventory.expiry.interval must be positive, was " + interval);
            }
            if (batchSize < 1 || batchSize > 10_000) {
                throw new IllegalArgumentException("shop.inventory.expiry.batch-size must be 1..10000, was " + batchSize);
            }
            if (maxBatchesPerRun < 1) {
                throw new IllegalArgumentException("shop.inventory.expiry.max-batches-per-run must be at least 1, was " + maxBatchesPerRun);
            }
        }
    }
}
