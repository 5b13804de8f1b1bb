package shop.payment.messaging;

import java.util.UUID;

/** A validated {@code payment.charge}: amount in minor units, currency upper-case ISO 4217. */
public record ChargeCommand(UUID orderId, String userId, long amount, String currency, String paymentMethod) {
}
