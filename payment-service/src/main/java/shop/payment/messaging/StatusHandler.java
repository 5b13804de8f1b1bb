package shop.payment.messaging;

import java.util.Optional;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import shop.contracts.payment.GetPayment;
import shop.contracts.payment.PaymentReply;
import shop.payment.payment.Payment;
import shop.payment.payment.PaymentSettlement;
import shop.payment.payment.PaymentStatus;
import shop.payment.payment.PaymentStore;
import shop.payment.provider.ProviderUnavailableException;
import shop.platform.messaging.MessageChecks;

/**
 * {@code payment.status} (bean {@code statusHandler}): the order's payment as {@code NONE}, {@code PENDING},
 * {@code COMPLETED}, {@code FAILED} or {@code REFUNDED}. A PENDING payment is settled with the provider first
 * when possible: charged -> COMPLETED (with its event); no charge under the key -> still PENDING while the charge
 * call may be running, FAILED after. A compensated order's COMPLETED payment is refunded on the way.
 */
@Component
public class StatusHandler {

    private static final Logger log = LoggerFactory.getLogger(StatusHandler.class);

    private final MessageChecks checks;
    private final PaymentStore store;
    private final PaymentSettlement settlement;

    public StatusHandler(MessageChecks checks, PaymentStore store, PaymentSettlement settlement) {
        this.checks = checks;
        this.store = store;
        this.settlement = settlement;
    }

    public PaymentReply status(GetPayment command) {
        UUID orderId = checks.check(command, GetPayment.TYPE).orderId();
        Optional<Payment> found = store.find(orderId);
        if (found.isEmpty()) {
            return PaymentReply.of(PaymentReply.NONE, orderId, null);
        }
        Payment p = found.get();
        try {
            if (p.status() == PaymentStatus.PENDING) {
                p = settlement.settlePending(p, false).payment();
            } else if (p.status() == PaymentStatus.COMPLETED && store.isCancelled(orderId)) {
                p = settlement.refundCompleted(orderId);
            }
        } catch (ProviderUnavailableException e) {
            log.warn("payment.status for order {}: provider unavailable, answering {}", orderId, p.status());
        }
        return p.status() == PaymentStatus.FAILED
                ? PaymentReply.declined(p.status().name(), orderId, p.paymentId(), p.declineCode())
                : PaymentReply.of(p.status().name(), orderId, p.paymentId());
    }
}
