package shop.payment.command;

import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import shop.payment.payment.Payment;
import shop.payment.payment.PaymentSettlement;
import shop.payment.payment.PaymentStatus;
import shop.payment.payment.PaymentStore;
import shop.payment.provider.ProviderUnavailableException;

/**
 * {@code payment.status} (bean {@code paymentStatus}): the order's payment as {@code NONE}, {@code PENDING},
 * {@code COMPLETED}, {@code FAILED} or {@code REFUNDED}. A PENDING payment is settled with the provider first
 * when possible: charged -> COMPLETED (with its event); no charge under the key -> still PENDING while the charge
 * call may be running, FAILED after. A compensated order's COMPLETED payment is refunded on the way.
 */
@Component("paymentStatus")
public class StatusHandler {

    private static final Logger log = LoggerFactory.getLogger(StatusHandler.class);

    private final PaymentCommands commands;
    private final PaymentStore store;
    private final PaymentSettlement settlement;

    public StatusHandler(PaymentCommands commands, PaymentStore store, PaymentSettlement settlement) {
        this.commands = commands;
        this.store = store;
        this.settlement = settlement;
    }

    public Map<String, Object> status(Map<String, Object> body) {
        UUID orderId = commands.orderId(body);
        Optional<Payment> found = store.find(orderId);
        if (found.isEmpty()) {
            return Replies.of("NONE", orderId);
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
        Map<String, Object> reply = Replies.of(p.status().name(), p);
        if (p.status() == PaymentStatus.FAILED) {
            reply.put("declineCode", p.declineCode());
        }
        return reply;
    }
}
