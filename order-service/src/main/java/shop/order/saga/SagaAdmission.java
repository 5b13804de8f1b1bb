package shop.order.saga;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.micrometer.tagged.TaggedBulkheadMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import shop.platform.web.ApiException;

/**
 * Admission to the saga (docs/saga.md, "Admission"): at most {@code shop.saga.max-concurrent} sagas run at once in
 * this instance, and a request beyond that waits up to {@code shop.saga.admission-wait-ms} for a place. A burst is
 * queued instead of run all at once: a hundred sagas in flight on a small machine each wait for CPU until their
 * commands outlive the reply timeout, which fails them and opens the breakers - for every customer. A request that
 * finds no place in time is answered 503 with Retry-After before anything is written, so its retry (same
 * Idempotency-Key) places the order as if it were the first.
 * <p>
 * A Resilience4j semaphore bulkhead named {@code saga}; {@code resilience4j_bulkhead_*{name="saga"}} shows how full
 * it is, and a request turned away counts as {@code shop_orders_total{outcome="unavailable"}}.
 */
@Component
public class SagaAdmission {

    private final Bulkhead bulkhead;
    private final OrderMetrics metrics;
    private final int retryAfterSeconds;

    public SagaAdmission(@Value("${shop.saga.max-concurrent}") int maxConcurrent,
                         @Value("${shop.saga.admission-wait-ms}") long waitMillis,
                         @Value("${shop.orders.retry-after-seconds}") int retryAfterSeconds,
                         MeterRegistry meters, OrderMetrics metrics) {
        BulkheadRegistry registry = BulkheadRegistry.of(BulkheadConfig.custom()
                .maxConcurrentCalls(maxConcurrent)
                .maxWaitDuration(Duration.ofMillis(waitMillis))
                .build());
        this.bulkhead = registry.bulkhead("saga");
        TaggedBulkheadMetrics.ofBulkheadRegistry(registry).bindTo(meters);
        this.metrics = metrics;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /**
     * Runs {@code placing} once a place is free. When none frees up within the wait, a repeated request is still
     * answered from what its first request placed ({@code alreadyPlaced}: CONTRACT.md, the same outcome for the
     * same Idempotency-Key); anything else is answered 503.
     */
    public <T> T admit(Supplier<T> placing, Supplier<Optional<T>> alreadyPlaced) {
        if (!bulkhead.tryAcquirePermission()) {
            Optional<T> earlier = alreadyPlaced.get();
            if (earlier.isPresent()) {
                return earlier.get();
            }
            metrics.turnedAway();
            throw ApiException.unavailable(retryAfterSeconds);
        }
        try {
            return placing.get();
        } finally {
            bulkhead.onComplete();
        }
    }
}
