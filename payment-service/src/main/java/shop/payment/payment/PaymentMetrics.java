package shop.payment.payment;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

/**
 * The service's own metrics beside Camel's route metrics:
 * {@code shop_payment_charges_total{outcome}} (completed, declined, pending, refused, error),
 * {@code shop_payment_refunds_total{outcome}} (refunded, nothing_to_refund, pending, error),
 * {@code shop_payment_events_total{type}} (payment.completed / payment.refunded written to the outbox) and
 * {@code shop_payment_pending} (gauge: payments whose provider outcome is not settled yet).
 */
@Component
public class PaymentMetrics {

    private final MeterRegistry meters;

    public PaymentMetrics(MeterRegistry meters, PaymentStore store) {
        this.meters = meters;
        Gauge.builder("shop.payment.pending", store, PaymentStore::countPending)
                .description("payments whose provider outcome is not settled yet").register(meters);
    }

    public void charge(String outcome) {
        Counter.builder("shop.payment.charges").description("payment.charge commands answered, by outcome")
                .tag("outcome", outcome).register(meters).increment();
    }

    public void refund(String outcome) {
        Counter.builder("shop.payment.refunds").description("payment.refund commands answered, by outcome")
                .tag("outcome", outcome).register(meters).increment();
    }

    public void event(String type) {
        Counter.builder("shop.payment.events").description("payment events written to the outbox")
                .tag("type", type).register(meters).increment();
    }
}
