package shop.contracts.payment;

import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import jakarta.validation.constraints.NotNull;

import shop.contracts.Command;
import shop.contracts.Message;

/** {@code payment.refund}: give the order's money back, or make sure none is ever taken (a compensation; answered REFUNDED, NOTHING_TO_REFUND or PENDING). Answered by a {@link PaymentReply}. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RefundPayment(String messageId, String type, String occurredAt, Integer schemaVersion, @NotNull UUID orderId)
        implements Command<PaymentReply> {

    public static final String TYPE = "payment.refund";

    public static RefundPayment of(UUID orderId) {
        return new RefundPayment(Message.newId(), TYPE, Message.now(), SCHEMA_VERSION, orderId);
    }

    @Override
    public Class<PaymentReply> replyType() {
        return PaymentReply.class;
    }
}
