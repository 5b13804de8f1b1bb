package shop.payment.messaging;

import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import shop.contracts.payment.PaymentReply;
import shop.contracts.payment.RefundPayment;
import shop.payment.payment.Payment;
import shop.payment.payment.PaymentMetrics;
import shop.payment.payment.PaymentSettlement;
import shop.payment.payment.PaymentStore;
import shop.payment.provider.ProviderRejectedException;
import shop.payment.provider.ProviderUnavailableException;
import shop.platform.messaging.MessageChecks;

/**
 * {@code payment.refund} (bean {@code refundHandler}): the saga's compensation of a charge. It first leaves the
 * order's tombstone, so a charge that arrives later is refused and one still in flight is refunded as soon as
 * it completes; then it returns the money of a COMPLETED payment and settles a PENDING one with the provider.
 * Answers {@code REFUNDED}, {@code NOTHING_TO_REFUND}, or {@code PENDING} when the provider cannot be reached
 * (the caller retries; the reconciler also does).
 */
@Component
public class RefundHandler {

    private static final Logger log = LoggerFactory.getLogger(RefundHandler.class);

    private final MessageChecks checks;
    private final PaymentStore store;
    private final PaymentSettlement settlement;
    private final PaymentMetrics metrics;
    private final TransactionTemplate tx;

    public RefundHandler(MessageChecks checks, PaymentStore store, PaymentSettlement settlement, PaymentMetrics metrics,
                         PlatformTransactionManager transactions) {
        this.checks = checks;
        this.store = store;
        this.settlement = settlement;
        this.metrics = metrics;
        this.tx = new TransactionTemplate(transactions);
    }

    public PaymentReply refund(RefundPayment command) {
        PaymentReply reply;
        try {
            reply = refund(checks.check(command, RefundPayment.TYPE).orderId());
        } catch (RuntimeException e) {
            metrics.refund("error");
            throw e;
        }
        metrics.refund(reply.status().toLowerCase(Locale.ROOT));
        return reply;
    }

    /** Refunds the order's payment, if any; also used by the reconciler. */
    public PaymentReply refund(UUID orderId) {
        Optional<Payment> found = tx.execute(s -> {
            store.cancel(orderId);
            return store.lock(orderId);
        });
        if (found.isEmpty()) {
            log.info("payment.refund for order {}: no payment, tombstone left", orderId);
            return PaymentReply.of(PaymentReply.NOTHING_TO_REFUND, orderId, null);
        }
        Payment p = found.get();
        try {
            Payment after = switch (p.status()) {
                case FAILED, REFUNDED -> p;
                case COMPLETED -> settlement.refundCompleted(orderId);
                case PENDING -> settlement.settlePending(p, true).payment();
            };
            return answer(after);
        } catch (ProviderUnavailableException e) {
            log.warn("payment.refund for order {}: provider unavailable, payment {} stays {} ({})",
                    orderId, p.paymentId(), p.status(), e.getMessage());
            return reply(PaymentReply.PENDING, p);
        } catch (ProviderRejectedException e) {
            log.error("payment.refund for order {}: the provider refused it - needs an operator: {}", orderId, e.getMessage());
            throw e;
        }
    }

    private static PaymentReply answer(Payment p) {
        return switch (p.status()) {
            case REFUNDED -> reply(PaymentReply.REFUNDED, p);
            case FAILED -> reply(PaymentReply.NOTHING_TO_REFUND, p);
            // still held (a refund the provider could not do yet): the caller and the reconciler try again
            case COMPLETED, PENDING -> reply(PaymentReply.PENDING, p);
        };
    }

    private static PaymentReply reply(String status, Payment p) {
        return PaymentReply.of(status, p.orderId(), p.paymentId());
    }
}
