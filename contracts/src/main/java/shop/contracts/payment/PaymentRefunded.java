package shop.contracts.payment;

import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import shop.contracts.Message;

/** {@code payment.refunded}: the order's payment was given back (a compensation); {@code amount} in minor units. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PaymentRefunded(String messageId, String type, String occurredAt, Integer schemaVersion,
                 UUID paymentId, UUID orderId, Long amount, String currency) implements Message {

    public static final String TYPE = "payment.refunded";

    public static PaymentRefunded of(UUID paymentId, UUID orderId, long amount, String currency) {
        return new PaymentRefunded(Message.newId(), TYPE, Message.now(), SCHEMA_VERSION, paymentId, orderId, amount, currency);
    }
}
