package shop.payment.payment;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import shop.payment.provider.ChargeRequest;

/** One row of {@code payments}: the payment of one order. */
public record Payment(UUID paymentId, UUID orderId, String userId, long amount, String currency, String paymentMethod,
                      String idempotencyKey, String providerRef, String refundRef, PaymentStatus status,
                      String declineCode, Instant createdAt, Instant updatedAt) {

    /** The provider idempotency key of an order's charge: one order, one charge, however often it is retried. */
    public static String chargeKey(UUID orderId) {
        return "order-" + orderId;
    }

    /** The provider idempotency key of an order's refund. */
    public static String refundKey(UUID orderId) {
        return "refund-" + orderId;
    }

    /** The charge exactly as first sent: rebuilt from the row, so every retry carries the same parameters. */
    public ChargeRequest chargeRequest() {
        return new ChargeRequest(idempotencyKey, amount, currency, paymentMethod,
                Map.of("orderId", orderId.toString(), "paymentId", paymentId.toString()));
    }
}
