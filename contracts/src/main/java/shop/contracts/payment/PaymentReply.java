package shop.contracts.payment;

import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

import shop.contracts.Reply;

/**
 * The answer to every payment command: {@code status} (the payment's, or REFUNDED, NOTHING_TO_REFUND, NONE,
 * REFUSED), the payment's id when there is one, and the provider's {@code declineCode} of a DECLINED or FAILED one.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record PaymentReply(String status, UUID orderId, UUID paymentId, String declineCode, String reason) implements Reply {

    public static final String COMPLETED = "COMPLETED";
    public static final String DECLINED = "DECLINED";
    public static final String PENDING = "PENDING";
    public static final String FAILED = "FAILED";
    public static final String REFUNDED = "REFUNDED";
    public static final String NOTHING_TO_REFUND = "NOTHING_TO_REFUND";
    public static final String NONE = "NONE";
    /** The declineCode of a FAILED payment for which the provider has no charge under the order's key. */
    public static final String NOT_CHARGED = "not_charged";

    public static PaymentReply of(String status, UUID orderId, UUID paymentId) {
        return new PaymentReply(status, orderId, paymentId, null, null);
    }

    public static PaymentReply declined(String status, UUID orderId, UUID paymentId, String declineCode) {
        return new PaymentReply(status, orderId, paymentId, declineCode, null);
    }

    public static PaymentReply refused(UUID orderId, String reason) {
        return new PaymentReply(REFUSED, orderId, null, null, reason);
    }
}
