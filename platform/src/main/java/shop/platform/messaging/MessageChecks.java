package shop.platform.messaging;

import java.util.Comparator;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;

import shop.contracts.Message;

/**
 * Bean {@code messageChecks}: a message read from the broker is checked against its record's constraints
 * ({@code shop.contracts}) before anything acts on it. A message that fails can never succeed, so it is a
 * {@link PermanentMessageFailure} naming every offending field: a command is answered INVALID_COMMAND, an event
 * goes straight to its dead-letter queue.
 */
public class MessageChecks {

    private final Validator validator;

    public MessageChecks(Validator validator) {
        this.validator = validator;
    }

    /** The message, if it is what its type says: its own type (when it names one), this schema version, its constraints. */
    public <T extends Message> T check(T message, String expectedType) {
        if (message == null) {
            throw new PermanentMessageFailure("invalid " + expectedType + ": the body is empty or JSON null");
        }
        if (message.type() != null && !expectedType.equals(message.type())) {
            throw new PermanentMessageFailure("invalid " + expectedType + ": type is '" + message.type() + "'");
        }
        if (message.schemaVersion() != null && message.schemaVersion() != Message.SCHEMA_VERSION) {
            throw new PermanentMessageFailure("unsupported " + expectedType + " schemaVersion " + message.schemaVersion()
                    + " (this service reads version " + Message.SCHEMA_VERSION + ")");
        }
        Set<ConstraintViolation<T>> violations = validator.validate(message);
        if (!violations.isEmpty()) {
            String problems = violations.stream()
                    .sorted(Comparator.comparing(v -> v.getPropertyPath().toString()))
                    .map(v -> v.getPropertyPath() + " " + v.getMessage())
                    .collect(Collectors.joining("; "));
            throw new PermanentMessageFailure("invalid " + expectedType + " " + message.messageId() + ": " + problems);
        }
        return message;
    }
}
