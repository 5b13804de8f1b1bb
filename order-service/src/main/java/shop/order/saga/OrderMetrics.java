package shop.order.saga;

import java.time.Duration;
import java.time.Instant;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.springframework.stereotype.Component;

/** {@code shop_orders_total{outcome}} and {@code shop_saga_duration_seconds} (CONTRACT.md, Metrics). */
@Component
public class OrderMetrics {

    private final MeterRegistry meters;
    private final Timer sagaDuration;

    public OrderMetrics(MeterRegistry meters) {
        this.meters = meters;
        this.sagaDuration = Timer.builder("shop.saga.duration")
                .description("from order accepted to CONFIRMED or FAILED")
                .publishPercentileHistogram()
                .register(meters);
        for (String outcome : new String[] {"confirmed", "out_of_stock", "payment_declined", "unknown_product", "unavailable", "rejected"}) {
            counter(outcome);
        }
    }

    public void finished(String outcome, Instant createdAt) {
        counter(outcome).increment();
        if (createdAt != null) {
            sagaDuration.record(Duration.between(createdAt, Instant.now()));
        }
    }

    /** Not admitted to the saga in time (SagaAdmission): answered 503 like an order a dependency failed. */
    public void turnedAway() {
        counter("unavailable").increment();
    }

    public void rejected() {
        counter("rejected").increment();
    }

    private Counter counter(String outcome) {
        return Counter.builder("shop.orders").description("orders by outcome").tag("outcome", outcome).register(meters);
    }
}
