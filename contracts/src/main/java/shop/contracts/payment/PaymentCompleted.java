package shop.contracts.payment;

import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import shop.contracts.Message;

/** {@code payment.completed}: the order's payment was taken; {@code amount} in minor units. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PaymentCompleted(String messageId, String type, String occurredAt, Integer schemaVersion,
                 UUID paymentId, UUID orderId, Long amount, String currency) implements Message {

    public static final String TYPE = "payment.completed";

    public static PaymentCompleted of(UUID paymentId, UUID orderId, long amount, String currency) {
        return new PaymentCompleted(Message.newId(), TYPE, Message.now(), SCHEMA_VERSION, paymentId, orderId, amount, currency);
    }
}
