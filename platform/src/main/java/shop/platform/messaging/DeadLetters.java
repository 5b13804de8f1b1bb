package shop.platform.messaging;

import java.time.Instant;

import com.fasterxml.jackson.core.JsonProcessingException;
import jakarta.validation.ValidationException;
import org.apache.camel.Exchange;
import org.apache.camel.Predicate;
import org.apache.camel.Processor;
import org.apache.camel.component.springrabbit.SpringRabbitMQConstants;
import org.apache.camel.component.springrabbit.SpringRabbitMQEndpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import shop.contracts.Rejection;
import shop.contracts.Reply;

/**
 * The dead-letter policy of every consumer route (route configuration {@code message-consumer} in
 * {@code routes/platform/dead-letter.yaml}): which failures are worth a retry, and what a dead letter
 * carries - its original body and headers plus the reason, the failing route and the attempt count.
 */
public class DeadLetters implements Processor, Predicate {

    public static final String REASON = "x-failure-reason";
    public static final String ROUTE = "x-failed-route";
    public static final String ATTEMPTS = "x-attempts";
    public static final String FAILED_AT = "x-failed-at";
    public static final String QUEUE = "x-original-queue";
    static final String DELIVERIES = "shopDeadLetterDeliveries";

    private static final Logger log = LoggerFactory.getLogger(DeadLetters.class);

    private final int maxAttempts;

    public DeadLetters(int maxAttempts) {
        this.maxAttempts = maxAttempts;
    }

    /**
     * {@code retryWhile} (named with its method: {@code deadLetters?method=shouldRetry}; a bare bean name would
     * make Camel call {@link #process}): transient failures are retried until {@code maxAttempts} deliveries are
     * spent. Camel has counted the failed delivery in {@code CamelRedeliveryCounter} before it asks, and
     * {@code useOriginalMessage} resets the headers before {@link #process}, so the count is kept in a property.
     */
    public boolean shouldRetry(Exchange exchange) {
        int deliveries = exchange.getIn().getHeader(Exchange.REDELIVERY_COUNTER, 1, Integer.class);
        exchange.setProperty(DELIVERIES, deliveries);
        return !isPermanent(failure(exchange)) && deliveries < maxAttempts;
    }

    @Override
    public boolean matches(Exchange exchange) {
        return shouldRetry(exchange);
    }

    /** The reply a command handler sends when it failed: the requester treats it as a failed call. */
    public Rejection errorReply(Exchange exchange) {
        Throwable failure = failure(exchange);
        log.warn("command {} failed in route {}: {}", exchange.getIn().getHeader("CamelSpringRabbitmqRoutingKey"),
                exchange.getFromRouteId(), failure == null ? "unknown" : describe(failure));
        return Rejection.error(failure != null && isPermanent(failure) ? Reply.INVALID_COMMAND : Reply.PARTICIPANT_ERROR);
    }

    public static boolean isPermanent(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof PermanentMessageFailure || t instanceof JsonProcessingException
                    || t instanceof ValidationException || t instanceof IllegalArgumentException) {
                return true;
            }
        }
        return false;
    }

    /** {@code onPrepareFailure}: runs on the original message just before it is dead-lettered. */
    @Override
    public void process(Exchange exchange) {
        Throwable failure = failure(exchange);
        String queue = originalQueue(exchange);
        Integer deliveries = exchange.getProperty(DELIVERIES, Integer.class);
        int attempts = deliveries != null ? deliveries : 1;
        String reason = failure == null ? "unknown" : describe(failure);
        var in = exchange.getIn();
        in.setHeader(REASON, reason);
        in.setHeader(ROUTE, exchange.getFromRouteId());
        in.setHeader(ATTEMPTS, attempts);
        in.setHeader(FAILED_AT, Instant.now().toString());
        in.setHeader(QUEUE, queue);
        in.setHeader(SpringRabbitMQConstants.EXCHANGE_OVERRIDE_NAME, Topology.DEAD_LETTERS);
        in.setHeader(SpringRabbitMQConstants.ROUTING_OVERRIDE_KEY, queue);
        in.removeHeader(Exchange.REDELIVERY_COUNTER);
        log.warn("dead-lettering message {} from queue {} after {} attempt(s) in route {}: {}",
                in.getHeader("messageId", in.getHeader(SpringRabbitMQConstants.MESSAGE_ID)), queue, attempts,
                exchange.getFromRouteId(), reason);
    }

    private static String describe(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String text = root.getClass().getSimpleName() + ": " + root.getMessage();
        return text.length() > 500 ? text.substring(0, 500) : text;
    }

    private static Throwable failure(Exchange exchange) {
        Throwable t = exchange.getException();
        return t != null ? t : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
    }

    private static String originalQueue(Exchange exchange) {
        if (exchange.getFromEndpoint() instanceof SpringRabbitMQEndpoint endpoint && endpoint.getQueues() != null) {
            return endpoint.getQueues().split(",")[0].trim();
        }
        return "unknown";
    }
}
