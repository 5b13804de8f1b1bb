package shop.contracts.payment;

import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import jakarta.validation.constraints.NotNull;

import shop.contracts.Command;
import shop.contracts.Message;

/** {@code payment.status}: what became of the order's payment: NONE, PENDING, COMPLETED, FAILED or REFUNDED (it never creates a charge). Answered by a {@link PaymentReply}. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record GetPayment(String messageId, String type, String occurredAt, Integer schemaVersion, @NotNull UUID orderId)
        implements Command<PaymentReply> {

    public static final String TYPE = "payment.status";

    public static GetPayment of(UUID orderId) {
        return new GetPayment(Message.newId(), TYPE, Message.now(), SCHEMA_VERSION, orderId);
    }

    @Override
    public Class<PaymentReply> replyType() {
        return PaymentReply.class;
    }
}
