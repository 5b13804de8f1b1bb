package shop.contracts;

/**
 * A participant's answer to a {@link Command}. Besides each command's own answers, any command may be answered
 * {@value #ERROR} (the handler failed; {@code reason} {@value #INVALID_COMMAND} or {@value #PARTICIPANT_ERROR},
 * nothing changed) or {@value #REFUSED} (for instance {@code reason} {@value #EXPIRED_REQUEST}: the command's
 * deadline had passed, nothing was done): every reply type reads those, as {@link Rejection} writes them.
 */
public interface Reply {

    String ERROR = "ERROR";
    String REFUSED = "REFUSED";
    String INVALID_COMMAND = "INVALID_COMMAND";
    String PARTICIPANT_ERROR = "PARTICIPANT_ERROR";
    String EXPIRED_REQUEST = "EXPIRED_REQUEST";
    /** The participant compensated this order before: it must not act on it again. */
    String ORDER_COMPENSATED = "ORDER_COMPENSATED";

    String status();

    String reason();
}
