package shop.order.messaging;

import java.io.IOException;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.ExchangePropertyKey;
import org.apache.camel.component.springrabbit.SpringRabbitMQConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import shop.contracts.Command;
import shop.contracts.Reply;
import shop.platform.messaging.CommandDeadline;

/**
 * The request-reply of {@code direct:send-command} ({@code routes/order-service/commands.yaml}) around a typed
 * {@link Command}: the routing key is its type; its deadline and per-message TTL equal the reply timeout, so that a
 * command nobody waits for any more is never acted on (docs/messaging.md, Commands); the answer is read as the
 * command's own reply type.
 */
@Component("commandRequests")
public class CommandRequests {

    /** The command being sent (exchange property), so that its answer can be read as its reply type. */
    public static final String COMMAND = "shopCommand";
    /** The status a failed call answers in the participant's place (the breaker's fallback, a compensation's timeout). */
    public static final String UNAVAILABLE = "UNAVAILABLE";

    private static final Logger log = LoggerFactory.getLogger(CommandRequests.class);
    private static final String UNAVAILABLE_JSON = "{\"status\":\"" + UNAVAILABLE + "\"}";

    private final long replyTimeoutMs;
    private final ObjectMapper json;

    public CommandRequests(@Value("${shop.saga.reply-timeout-ms}") long replyTimeoutMs, ObjectMapper json) {
        this.replyTimeoutMs = replyTimeoutMs;
        this.json = json;
    }

    /** Addresses the command (routing key, deadline, TTL, transient) and keeps it for {@link #reply}. */
    public Command<?> prepare(Command<?> command, Exchange exchange) {
        exchange.setProperty(COMMAND, command);
        var in = exchange.getIn();
        in.setHeader(SpringRabbitMQConstants.ROUTING_OVERRIDE_KEY, command.type());
        in.setHeader(SpringRabbitMQConstants.CONTENT_TYPE, "application/json");
        in.setHeader(SpringRabbitMQConstants.EXPIRATION, Long.toString(replyTimeoutMs));
        // transient: a command lives at most replyTimeoutMs, so one that survived a broker restart would only
        // be refused as expired; persisting it made the broker write every command to disk (docs/performance.md)
        in.setHeader(SpringRabbitMQConstants.DELIVERY_MODE, MessageDeliveryMode.NON_PERSISTENT);
        in.setHeader(CommandDeadline.HEADER, System.currentTimeMillis() + replyTimeoutMs);
        return command;
    }

    /** The participant's answer, read as the command's reply type (an ERROR or REFUSED answer reads as it too). */
    public Reply reply(byte[] answer, @ExchangeProperty(COMMAND) Command<?> command) throws IOException {
        return json.readValue(answer, command.replyType());
    }

    /**
     * The answer in the participant's place when the call failed: it could not be reached, timed out, answered
     * ERROR, or its breaker is open. The step's decision then says what that means for the order.
     */
    public Reply unavailable(@ExchangeProperty(COMMAND) Command<?> command, Exchange exchange) throws IOException {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        // the breaker (or doCatch) marks the failure handled; the step's decision goes on from here
        exchange.removeProperty(Exchange.EXCEPTION_CAUGHT);
        exchange.removeProperty(ExchangePropertyKey.EXCEPTION_HANDLED.getName());
        log.warn("order {}: {} unavailable: {}", command.orderId(), command.type(), cause == null ? "circuit open" : cause.toString());
        return json.readValue(UNAVAILABLE_JSON, command.replyType());
    }

    /** Inside the circuit breaker: an ERROR answer is a failed call. */
    public void checkAnswer(Reply reply) {
        if (Reply.ERROR.equals(reply.status())) {
            throw new ParticipantError("participant answered " + reply);
        }
    }
}
