package shop.payment.messaging;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import shop.contracts.payment.PaymentReply;
import shop.payment.config.PaymentProperties;
import shop.payment.payment.PaymentStore;

/**
 * Background safety net (bean {@code paymentReconciler}, route {@code payment-reconciler}): finds orders that
 * were compensated (tombstone) while money may still be held - a COMPLETED payment whose refund the provider
 * could not do at the time, or a PENDING one whose refund could not reach the provider - and refunds them.
 */
@Component("paymentReconciler")
public class PaymentReconciler {

    private static final Logger log = LoggerFactory.getLogger(PaymentReconciler.class);

    private final PaymentStore store;
    private final RefundHandler refunds;
    private final Duration settleAfter;
    private final int batchSize;

    public PaymentReconciler(PaymentStore store, RefundHandler refunds, PaymentProperties props) {
        this.store = store;
        this.refunds = refunds;
        this.settleAfter = props.providerTimeout().multipliedBy(2);
        this.batchSize = props.reconcileBatchSize();
    }

    /** One pass; returns how many orders it settled (refunded or found not charged). */
    public int reconcile() {
        List<UUID> orders = store.compensatedButHeld(Instant.now().minus(settleAfter), batchSize);
        int settled = 0;
        for (UUID orderId : orders) {
            try {
                PaymentReply reply = refunds.refund(orderId);
                if (!PaymentReply.PENDING.equals(reply.status())) {
                    settled++;
                }
                log.info("reconciled compensated order {}: {}", orderId, reply.status());
            } catch (RuntimeException e) {
                log.error("could not reconcile compensated order {}: {}", orderId, e.getMessage());
            }
        }
        if (!orders.isEmpty()) {
            log.info("reconciler: {} of {} compensated order(s) settled", settled, orders.size());
        }
        return settled;
    }
}
