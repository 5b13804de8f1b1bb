package shop.shipping.events;

import java.util.Comparator;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import org.springframework.stereotype.Component;

import shop.platform.messaging.Envelope;
import shop.platform.messaging.PermanentMessageFailure;
import shop.shipping.config.ShippingTopology;

/**
 * Bean {@code orderConfirmedEvents}: checks an unmarshalled {@code order.confirmed} event before anything
 * acts on it. An invalid event can never succeed, so it fails with {@link PermanentMessageFailure} and goes
 * straight to the dead-letter queue, naming every offending field in {@code x-failure-reason}.
 */
@Component("orderConfirmedEvents")
public class OrderConfirmedEvents {

    private final Validator validator;

    public OrderConfirmedEvents(Validator validator) {
        this.validator = validator;
    }

    public OrderConfirmed validate(OrderConfirmed event) {
        if (event == null) {
            throw new PermanentMessageFailure("invalid order.confirmed event: the body is empty or JSON null");
        }
        if (event.type() != null && !ShippingTopology.ORDER_CONFIRMED.equals(event.type())) {
            throw new PermanentMessageFailure("invalid order.confirmed event: type is '" + event.type() + "'");
        }
        if (event.schemaVersion() != null && event.schemaVersion() != Envelope.SCHEMA_VERSION) {
            throw new PermanentMessageFailure("unsupported order.confirmed schemaVersion " + event.schemaVersion()
                    + " (this service reads version " + Envelope.SCHEMA_VERSION + ")");
        }
        Set<ConstraintViolation<OrderConfirmed>> violations = validator.validate(event);
        if (!violations.isEmpty()) {
            String problems = violations.stream()
                    .sorted(Comparator.comparing(v -> v.getPropertyPath().toString()))
                    .map(v -> v.getPropertyPath() + " " + v.getMessage())
                    .collect(Collectors.joining("; "));
            throw new PermanentMessageFailure("invalid order.confirmed event " + event.messageId() + ": " + problems);
        }
        return event;
    }
}
