package shop.platform.messaging;

/**
 * A message that can never succeed however often it is retried (bad payload, a 4xx from a partner):
 * it goes to the dead-letter queue at once.
 */
public class PermanentMessageFailure extends RuntimeException {

    public PermanentMessageFailure(String message) {
        super(message);
    }

    public PermanentMessageFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
