package shop.payment.messaging;

import shop.platform.messaging.PermanentMessageFailure;

/** A command that can never succeed as sent (bad field): answered {@code ERROR/INVALID_COMMAND}, changes nothing. */
public class InvalidCommandException extends PermanentMessageFailure {

    public InvalidCommandException(String message) {
        super(message);
    }
}
