package shop.platform.messaging;

import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.Predicate;

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
    public Map<String, Object> refusal(Exchange exchange) {
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("status", "REFUSED");
        String orderId = orderIdOf(exchange.getIn().getBody(byte[].class));
        if (orderId != null) {
            reply.put("orderId", orderId);
        }
        reply.put("reason", "EXPIRED_REQUEST");
        return reply;
    }

    private static String orderIdOf(byte[] body) {
        if (body == null) {
            return null;
        }
        try {
            var node = JSON.readTree(body);
            return node != null && node.path("orderId").isTextual() ? node.get("orderId").asText() : null;
        } catch (java.io.IOException e) {
            return null;
        }
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();
}
