package shop.platform.messaging;

import java.io.IOException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.Predicate;

import shop.contracts.Rejection;

/**
 * Stale work must not come back to life: a command carries a {@code deadline} header (epoch millis) set by
 * its requester; once it has passed, the requester has stopped waiting and the participant refuses the
 * command without acting on it. Bean {@code commandDeadline}; in YAML a {@code filter} on it answers
 * {@link #refusal(Exchange)}.
 */
public class CommandDeadline implements Predicate {

    public static final String HEADER = "deadline";

    /** True when the command's deadline has passed. */
    @Override
    public boolean matches(Exchange exchange) {
        Long deadline = exchange.getIn().getHeader(HEADER, Long.class);
        return deadline != null && System.currentTimeMillis() > deadline;
    }

    /** The answer to an expired command (nobody may be waiting for it, but a late reply is harmless). */
    public Rejection refusal(Exchange exchange) {
        return Rejection.expired(orderIdOf(exchange.getIn().getBody(byte[].class)));
    }

    private static String orderIdOf(byte[] body) {
        if (body == null) {
            return null;
        }
        try {
            JsonNode node = JSON.readTree(body);
            return node != null && node.path("orderId").isTextual() ? node.get("orderId").asText() : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
}
