package shop.order.saga;

import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.ExchangePropertyKey;
import org.apache.camel.Header;
import org.apache.camel.component.springrabbit.SpringRabbitMQConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import shop.platform.messaging.CommandDeadline;
import shop.platform.messaging.Envelope;

/**
 * Prepares a command for {@code direct:send-command}: the envelope, the routing key, and a deadline and
 * per-message TTL equal to the reply timeout, so that a command nobody waits for any more is never acted
 * on (docs/messaging.md, Commands).
 */
@Component("commandRequests")
public class CommandRequests {

    public static final String TYPE = "commandType";
    /** The answer a failed call gives in the participant's place (the breaker's fallback, a compensation's timeout). */
    public static final String UNAVAILABLE = "UNAVAILABLE";

    private static final Logger log = LoggerFactory.getLogger(CommandRequests.class);

    private final long replyTimeoutMs;

    public CommandRequests(@Value("${shop.saga.reply-timeout-ms}") long replyTimeoutMs) {
        this.replyTimeoutMs = replyTimeoutMs;
    }

    public Map<String, Object> prepare(@Header(TYPE) String type, Map<String, Object> data, Exchange exchange) {
        var in = exchange.getIn();
        in.setHeader(SpringRabbitMQConstants.ROUTING_OVERRIDE_KEY, type);
        in.setHeader(SpringRabbitMQConstants.CONTENT_TYPE, "application/json");
        in.setHeader(SpringRabbitMQConstants.EXPIRATION, Long.toString(replyTimeoutMs));
        // transient: a command lives at most replyTimeoutMs, so one that survived a broker restart would only
        // be refused as expired; persisting it made the broker write every command to disk (docs/performance.md)
        in.setHeader(SpringRabbitMQConstants.DELIVERY_MODE, MessageDeliveryMode.NON_PERSISTENT);
        in.setHeader(CommandDeadline.HEADER, System.currentTimeMillis() + replyTimeoutMs);
        return Envelope.of(type, data);
    }

    /**
     * The answer in the participant's place when the call failed: it could not be reached, timed out, answered
     * ERROR, or its breaker is open. The step's decision then says what that means for the order.
     */
    public Map<String, Object> unavailable(@Header("orderId") String orderId, Exchange exchange) {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        // the breaker (or doCatch) marks the failure handled; the step's decision goes on from here
        exchange.removeProperty(Exchange.EXCEPTION_CAUGHT);
        exchange.removeProperty(ExchangePropertyKey.EXCEPTION_HANDLED.getName());
        log.warn("order {}: {} unavailable: {}", orderId, exchange.getIn().getHeader(TYPE),
                cause == null ? "circuit open" : cause.toString());
        return Map.of("status", UNAVAILABLE);
    }

    /** Inside the circuit breaker: an ERROR answer is a failed call. */
    public void checkAnswer(Map<String, Object> reply) {
        if (reply == null || "ERROR".equals(reply.get("status"))) {
            throw new ParticipantError("participant answered " + reply);
        }
    }
}
