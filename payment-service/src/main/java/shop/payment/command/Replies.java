package shop.payment.command;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import shop.payment.payment.Payment;

/** The reply bodies of docs/messaging.md (payment): {@code status} first, then {@code orderId}, then details. */
final class Replies {

    static final String ORDER_COMPENSATED = "ORDER_COMPENSATED";

    static Map<String, Object> of(String status, UUID orderId) {
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("status", status);
        reply.put("orderId", orderId.toString());
        return reply;
    }

    static Map<String, Object> of(String status, Payment payment) {
        Map<String, Object> reply = of(status, payment.orderId());
        reply.put("paymentId", payment.paymentId().toString());
        return reply;
    }

    static Map<String, Object> refused(UUID orderId, String reason) {
        Map<String, Object> reply = of("REFUSED", orderId);
        reply.put("reason", reason);
        return reply;
    }

    static Map<String, Object> declined(Payment payment) {
        Map<String, Object> reply = of("DECLINED", payment);
        reply.put("declineCode", payment.declineCode());
        return reply;
    }

    private Replies() {
    }
}
