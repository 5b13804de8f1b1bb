package shop.payment.config;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import shop.platform.retention.RetentionTable;

/**
 * What the platform's retention job deletes here besides the inbox (docs/messaging.md, Retention). Never a row
 * that still guards money: a cancellation tombstone stays while its order's payment is PENDING or COMPLETED (the
 * reconciler still has to refund it), a simulator charge while its payment is PENDING (its outcome is looked up
 * by key) or COMPLETED for a compensated order (it is still to be refunded). Payments themselves stay.
 */
@Configuration(proxyBeanMethods = false)
public class PaymentRetention {

    @Bean
    RetentionTable cancellationRetention() {
        return new RetentionTable("payment_cancellations", "created_at",
                "NOT EXISTS (SELECT 1 FROM payments p WHERE p.order_id = t.order_id AND p.status IN ('PENDING', 'COMPLETED'))");
    }

    @Bean
    RetentionTable simulatorChargeRetention() {
        return new RetentionTable("simulator_charges", "created_at",
                "NOT EXISTS (SELECT 1 FROM payments p WHERE p.idempotency_key = t.idempotency_key AND (p.status = 'PENDING'"
                        + " OR (p.status = 'COMPLETED' AND EXISTS (SELECT 1 FROM payment_cancellations c WHERE c.order_id = p.order_id))))");
    }
}
