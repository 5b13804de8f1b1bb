package shop.contracts;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The answer of any participant that did not act on a command: {@link Reply#ERROR} or {@link Reply#REFUSED}, with its reason. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Rejection(String status, String orderId, String reason) implements Reply {

    /** The handler failed: {@link Reply#INVALID_COMMAND} (it can never succeed) or {@link Reply#PARTICIPANT_ERROR}. */
    public static Rejection error(String reason) {
        return new Rejection(ERROR, null, reason);
    }

    /** The command's deadline had passed: nothing was done. {@code orderId} as the command named it, or null. */
    public static Rejection expired(String orderId) {
        return new Rejection(REFUSED, orderId, EXPIRED_REQUEST);
    }
}
