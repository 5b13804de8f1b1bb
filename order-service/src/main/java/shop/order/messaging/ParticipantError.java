package shop.order.messaging;

/** A participant answered ERROR: the call failed (counted by the circuit breaker), not the order. */
public class ParticipantError extends RuntimeException {

    public ParticipantError(String message) {
        super(message, null, false, false);
    }
}
