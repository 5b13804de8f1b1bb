package shop.shipping.dlq;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.Return;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.stereotype.Component;

import shop.platform.messaging.DeadLetters;
import shop.shipping.config.ShippingProperties;
import shop.shipping.config.ShippingTopology;

/**
 * Bean {@code shipmentsDlq}: the shipping dead-letter queue ({@code shipping.order-confirmed.dlq}) as an
 * operator sees and empties it (docs/runbooks/dlq-replay.md).
 *
 * <p>Every operation uses its own channel, opened on the service's broker connection and closed at the
 * end, so a message it fetched but did not acknowledge always returns to the queue, also when the
 * operation fails half-way:
 * <ul>
 *   <li>{@link #list()} fetches with manual acknowledgement and acknowledges nothing: closing the channel
 *       puts every message back, in order. Nothing is lost or consumed by looking.</li>
 *   <li>{@link #replay(int)} moves one message at a time: fetch, publish to {@code shipping.order-confirmed}
 *       through the default exchange (mandatory, failure headers and x-death removed), wait for the broker's
 *       confirm, and only then acknowledge the dead letter. A crash in between leaves a copy in both queues,
 *       never in none; the consumer's idempotency makes the copy harmless.</li>
 * </ul>
 * The gauge {@code shop.dlq.messages{queue="shipping.order-confirmed.dlq"}} reports the depth, read from the
 * broker at most every {@code shop.shipping.dlq-depth-cache-ms}.
 */
@Component("shipmentsDlq")
public class ShippingDeadLetterQueue {

    private static final Logger log = LoggerFactory.getLogger(ShippingDeadLetterQueue.class);

    /** Headers a dead letter carries that must not travel with its replay. */
    static final Set<String> FAILURE_HEADERS = Set.of(DeadLetters.REASON, DeadLetters.ROUTE, DeadLetters.ATTEMPTS,
            DeadLetters.FAILED_AT, DeadLetters.QUEUE, "x-death");
    private static final Pattern DEATH_SUMMARY = Pattern.compile("x-(first|last)-death-.*");
    private static final long CONFIRM_TIMEOUT_MS = 5000;

    private final ConnectionFactory connections;
    private final ObjectMapper json;
    private final long depthCacheMs;
    private final int listLimit;
    private final Object depthLock = new Object();
    private volatile long depthReadAt;
    private volatile double depth = Double.NaN;

    public ShippingDeadLetterQueue(ConnectionFactory connections, ObjectMapper json, ShippingProperties props, MeterRegistry meters) {
        this.connections = connections;
        this.json = json;
        this.depthCacheMs = props.dlqDepthCacheMs();
        this.listLimit = props.dlqListLimit();
        Gauge.builder("shop.dlq.messages", this, ShippingDeadLetterQueue::cachedDepth)
                .description("messages waiting in a dead-letter queue")
                .tag("queue", ShippingTopology.DLQ)
                .register(meters);
    }

    public String queue() {
        return ShippingTopology.DLQ;
    }

    /** Messages ready in the DLQ now, from the broker. */
    public int depth() throws IOException, TimeoutException {
        try (Owned ch = channel()) {
            int count = ch.channel.queueDeclarePassive(ShippingTopology.DLQ).getMessageCount();
            remember(count);
            return count;
        }
    }

    /** The gauge's value: the depth read at most {@code dlq-depth-cache-ms} ago; NaN while the broker cannot tell. */
    double cachedDepth() {
        if (System.currentTimeMillis() - depthReadAt < depthCacheMs) {
            return depth;
        }
        synchronized (depthLock) {
            if (System.currentTimeMillis() - depthReadAt >= depthCacheMs) {
                try {
                    depth();
                } catch (Exception e) {
                    log.warn("cannot read the depth of {}: {}", ShippingTopology.DLQ, e.toString());
                    depth = Double.NaN;
                    depthReadAt = System.currentTimeMillis();
                }
            }
            return depth;
        }
    }

    private void remember(int count) {
        depth = count;
        depthReadAt = System.currentTimeMillis();
    }

    /** The depth and the first {@code dlq-list-limit} dead letters; every one stays in the queue. */
    public Listing list() throws IOException, TimeoutException {
        try (Owned ch = channel()) {
            int count = ch.channel.queueDeclarePassive(ShippingTopology.DLQ).getMessageCount();
            remember(count);
            List<DeadLetter> messages = new ArrayList<>();
            while (messages.size() < Math.min(count, listLimit)) {
                GetResponse message = ch.channel.basicGet(ShippingTopology.DLQ, false);
                if (message == null) {
                    break;
                }
                messages.add(describe(message));
            }
            // no ack: closing the channel returns every fetched message to the queue, in its place
            return new Listing(count, messages);
        }
    }

    /**
     * Moves up to {@code limit} dead letters - never more than were waiting when it started, so one that
     * fails again is not replayed twice in one call - back to {@code shipping.order-confirmed}.
     *
     * @throws ReplayFailed when the broker stopped confirming, with the number moved until then
     */
    public synchronized int replay(int limit) throws IOException, TimeoutException {
        int replayed = 0;
        try (Owned ch = channel()) {
            Channel channel = ch.channel;
            int waiting = channel.queueDeclarePassive(ShippingTopology.DLQ).getMessageCount();
            channel.queueDeclarePassive(ShippingTopology.QUEUE);
            AtomicReference<Return> unroutable = new AtomicReference<>();
            channel.addReturnListener(unroutable::set);
            channel.confirmSelect();
            int todo = Math.min(limit, waiting);
            while (replayed < todo) {
                GetResponse message = channel.basicGet(ShippingTopology.DLQ, false);
                if (message == null) {
                    break;
                }
                channel.basicPublish("", ShippingTopology.QUEUE, true, replayProperties(message.getProps(), Instant.now()),
                        message.getBody());
                try {
                    channel.waitForConfirmsOrDie(CONFIRM_TIMEOUT_MS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new ReplayFailed(replayed, "interrupted while waiting for the broker's confirm", e);
                } catch (IOException | TimeoutException e) {
                    throw new ReplayFailed(replayed, "the broker did not confirm a replayed message: " + e.getMessage(), e);
                }
                if (unroutable.get() != null) {
                    // returned before its confirm: it reached no queue, so the dead letter stays where it is
                    throw new ReplayFailed(replayed, "queue " + ShippingTopology.QUEUE + " did not accept the replayed message: "
                            + unroutable.get().getReplyText(), null);
                }
                channel.basicAck(message.getEnvelope().getDeliveryTag(), false);
                replayed++;
            }
        } catch (ReplayFailed e) {
            log.error("DLQ replay of {} stopped after {} message(s): {}", ShippingTopology.DLQ, e.replayed(), e.getMessage());
            throw e;
        }
        depthReadAt = 0;
        log.info("replayed {} message(s) from {} to {}", replayed, ShippingTopology.DLQ, ShippingTopology.QUEUE);
        return replayed;
    }

    /**
     * The dead letter's properties for its way back: failure headers and x-death removed, stamped
     * {@code x-replayed-at}, persistent; no expiration (it expired once) and no user-id (it must match the
     * replaying connection's user).
     */
    static AMQP.BasicProperties replayProperties(AMQP.BasicProperties original, Instant replayedAt) {
        Map<String, Object> headers = original.getHeaders() == null ? new HashMap<>() : new HashMap<>(original.getHeaders());
        headers.keySet().removeIf(ShippingDeadLetterQueue::isFailureHeader);
        headers.put(DlqReplayGuard.REPLAYED_AT, replayedAt.toString());
        return new AMQP.BasicProperties.Builder()
                .contentType(original.getContentType())
                .contentEncoding(original.getContentEncoding())
                .headers(headers)
                .deliveryMode(2)
                .priority(original.getPriority())
                .correlationId(original.getCorrelationId())
                .messageId(original.getMessageId())
                .timestamp(original.getTimestamp())
                .type(original.getType())
                .appId(original.getAppId())
                .build();
    }

    /** True for the headers describing a failure: the platform's x-failure-* family and RabbitMQ's x-death. */
    public static boolean isFailureHeader(String name) {
        return FAILURE_HEADERS.contains(name) || DEATH_SUMMARY.matcher(name).matches();
    }

    DeadLetter describe(GetResponse message) {
        Map<String, Object> headers = message.getProps().getHeaders() == null ? Map.of() : message.getProps().getHeaders();
        String orderId = null;
        String messageId = message.getProps().getMessageId();
        try {
            JsonNode body = json.readTree(message.getBody());
            if (body != null && body.isObject()) {
                orderId = text(body.get("orderId"));
                messageId = body.hasNonNull("messageId") ? text(body.get("messageId")) : messageId;
            }
        } catch (IOException | RuntimeException e) {
            // not JSON: listed without an orderId; its reason says why it failed
        }
        Map<?, ?> death = lastDeath(headers.get("x-death"));
        String reason = string(headers.get(DeadLetters.REASON));
        if (reason == null && death != null) {
            reason = string(death.get("reason"));
        }
        String failedAt = string(headers.get(DeadLetters.FAILED_AT));
        if (failedAt == null && death != null && death.get("time") instanceof Date time) {
            failedAt = time.toInstant().toString();
        }
        Integer attempts = number(headers.get(DeadLetters.ATTEMPTS));
        if (attempts == null && death != null) {
            attempts = number(death.get("count"));
        }
        return new DeadLetter(orderId, reason == null ? "unknown" : reason, failedAt, attempts, messageId,
                string(headers.get(DeadLetters.ROUTE)), string(headers.get(DlqReplayGuard.REPLAYED_AT)));
    }

    /** x-death lists the most recent dead-lettering first. */
    private static Map<?, ?> lastDeath(Object xDeath) {
        if (xDeath instanceof List<?> deaths && !deaths.isEmpty() && deaths.get(0) instanceof Map<?, ?> first) {
            return first;
        }
        return null;
    }

    private static String text(JsonNode node) {
        return node == null || node.isNull() ? null : node.asText();
    }

    private static String string(Object value) {
        return value == null ? null : value.toString();
    }

    private static Integer number(Object value) {
        if (value instanceof Number n) {
            return n.intValue();
        }
        if (value != null) {
            try {
                return Integer.valueOf(value.toString().trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    private Owned channel() throws IOException {
        // a plain channel of the service's connection: not the cached kind, so closing it really closes it
        return new Owned(connections.createConnection().getDelegate().createChannel());
    }

    /** A channel this class opened and closes, whatever state the broker left it in. */
    private static final class Owned implements AutoCloseable {
        final Channel channel;

        Owned(Channel channel) throws IOException {
            if (channel == null) {
                throw new IOException("the broker connection has no free channel");
            }
            this.channel = channel;
        }

        @Override
        public void close() {
            try {
                if (channel.isOpen()) {
                    channel.close();
                }
            } catch (IOException | TimeoutException | RuntimeException e) {
                log.debug("closing a DLQ channel: {}", e.toString());
            }
        }
    }

    public record Listing(int count, List<DeadLetter> messages) {
    }

    /** A replay that stopped part-way: {@link #replayed()} messages were moved before it did. */
    public static class ReplayFailed extends IOException {
        private final int replayed;

        ReplayFailed(int replayed, String message, Throwable cause) {
            super(message, cause);
            this.replayed = replayed;
        }

        public int replayed() {
            return replayed;
        }
    }
}
