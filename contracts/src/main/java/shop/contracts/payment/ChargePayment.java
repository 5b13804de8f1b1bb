package shop.contracts.payment;

import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

import shop.contracts.Command;
import shop.contracts.Message;

/**
 * {@code payment.charge}: take the order's total (minor units) with the customer's payment method. Answered by a
 * {@link PaymentReply}: COMPLETED, DECLINED, PENDING (the provider's outcome is not known yet) or REFUSED.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ChargePayment(String messageId, String type, String occurredAt, Integer schemaVersion,
                            @NotNull UUID orderId,
                            @NotBlank @Size(max = MAX_USER_ID) String userId,
                            @NotNull @Positive Long amount,
                            @NotNull @Pattern(regexp = "[A-Za-z]{3}", message = "must be a 3-letter ISO 4217 code") String currency,
                            @NotBlank @Size(max = MAX_PAYMENT_METHOD) String paymentMethod) implements Command<PaymentReply> {

    public static final String TYPE = "payment.charge";
    public static final int MAX_USER_ID = 255;
    public static final int MAX_PAYMENT_METHOD = 100;

    public static ChargePayment of(UUID orderId, String userId, long amount, String currency, String paymentMethod) {
        return new ChargePayment(Message.newId(), TYPE, Message.now(), SCHEMA_VERSION, orderId, userId, amount, currency, paymentMethod);
    }

    @Override
    public Class<PaymentReply> replyType() {
        return PaymentReply.class;
    }
}
