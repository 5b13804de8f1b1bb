package shop.shipping.dlq;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Date;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Return;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.Exchange;
import org.apache.camel.component.springrabbit.SpringRabbitMQConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

import shop.platform.messaging.DeadLetters;
import shop.shipping.config.ShippingProperties;
import shop.shipping.config.ShippingTopology;

/**
 * Bean {@code shippingDeadLetterQueue}: the message hospital of shipping-service (docs/adr/0014,
 * docs/runbooks/dlq-replay.md). The dead letters of {@code shipping.order-confirmed} do not wait in their queue
 * but in table {@code dead_letters}:
 * <ul>
 *   <li>{@link #admit(Exchange)} (route {@code shipments-dlq-intake}): a dead letter from
 *       {@code shipping.order-confirmed.dlq} becomes a row, in the transaction after whose commit the listener
 *       acknowledges it. One row per messageId: a second copy (redelivered after a crash before the ack, or the
 *       same event dead-lettered twice) changes nothing - unless it is the failure of the row's own replay (its
 *       {@code x-shop-replay} equals the row's replay count), which puts the row back to waiting.</li>
 *   <li>{@link #list()}: a query. Looking neither consumes nor counts deliveries, on classic and quorum queues.</li>
 *   <li>{@link #replay(int)}: marks up to N waiting rows replayed in one transaction; {@link #republishPending()}
 *       (route {@code shipments-dlq-republish}, and at once after a replay) publishes each marked row back to
 *       {@code shipping.order-confirmed} with a publisher confirm and records that in the transaction that
 *       claimed it. A crash before that commit publishes it again, never not at all; create-shipment's inbox and
 *       the one shipment per order make the copy harmless.</li>
 * </ul>
 * The gauge {@code shop.dlq.messages{queue="shipping.order-confirmed.dlq"}} counts the rows waiting, read at
 * most every {@code shop.shipping.dlq-depth-cache-ms}.
 */
@Component
public class ShippingDeadLetterQueue {

    private static final Logger log = LoggerFactory.getLogger(ShippingDeadLetterQueue.class);

    /** When a dead letter was last moved back to processing (ISO-8601); kept when it is dead-lettered again. */
    public static final String REPLAYED_AT = "x-replayed-at";
    /** The replay count of the row a replayed message came from: tells its next failure from a stale copy. */
    public static final String REPLAY = "x-shop-replay";
    /** Headers a dead letter carries that must not travel with its replay. */
    static final Set<String> FAILURE_HEADERS = Set.of(DeadLetters.REASON, DeadLetters.ROUTE, DeadLetters.ATTEMPTS,
            DeadLetters.FAILED_AT, DeadLetters.QUEUE, "x-death");
    private static final Pattern DEATH_SUMMARY = Pattern.compile("x-(first|last)-death-.*");
    private static final long CONFIRM_TIMEOUT_MS = 5000;
    private static final int PUBLISH_BATCH = 100;
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() { };

    private final ConnectionFactory connections;
    private final JdbcTemplate jdbc;
    private final ObjectMapper json;
    private final long depthCacheMs;
    private final int listLimit;
    private volatile long depthReadAt;
    private volatile double depth = Double.NaN;

    public ShippingDeadLetterQueue(ConnectionFactory connections, JdbcTemplate jdbc, ObjectMapper json, ShippingProperties props,
                                   MeterRegistry meters) {
        this.connections = connections;
        this.jdbc = jdbc;
        this.json = json;
        this.depthCacheMs = props.dlqDepthCacheMs();
        this.listLimit = props.dlqListLimit();
        Gauge.builder("shop.dlq.messages", this, ShippingDeadLetterQueue::cachedDepth)
                .description("messages waiting in a dead-letter queue (shipping: its message hospital)")
                .tag("queue", ShippingTopology.DLQ)
                .register(meters);
    }

    public String queue() {
        return ShippingTopology.DLQ;
    }

    // ---- intake ----------------------------------------------------------------------------------------

    /** Takes one dead letter, as route shipments-dlq-intake received it, into the hospital. */
    @Transactional
    public void admit(Exchange exchange) {
        var in = exchange.getMessage();
        byte[] body = in.getBody(byte[].class);
        if (body == null) {
            body = new byte[0];
        }
        Map<String, Object> headers = new LinkedHashMap<>();
        in.getHeaders().forEach((name, value) -> {
            if (!name.startsWith("Camel") && !name.startsWith("camel") && !isFailureHeader(name) && value != null) {
                headers.put(name, simple(value));
            }
        });
        headers.remove(REPLAY);
        Map<String, Object> properties = new LinkedHashMap<>();
        putIfPresent(properties, "contentType", in.getHeader(SpringRabbitMQConstants.CONTENT_TYPE));
        putIfPresent(properties, "contentEncoding", in.getHeader(SpringRabbitMQConstants.CONTENT_ENCODING));
        putIfPresent(properties, "messageId", in.getHeader(SpringRabbitMQConstants.MESSAGE_ID));
        putIfPresent(properties, "correlationId", in.getHeader(SpringRabbitMQConstants.CORRELATION_ID));
        putIfPresent(properties, "type", in.getHeader(SpringRabbitMQConstants.TYPE));
        putIfPresent(properties, "appId", in.getHeader(SpringRabbitMQConstants.APP_ID));

        JsonNode parsed = parse(body);
        String orderId = parsed != null ? text(parsed.get("orderId")) : null;
        String messageId = string(in.getHeader(SpringRabbitMQConstants.MESSAGE_ID));
        if (messageId == null && parsed != null) {
            messageId = text(parsed.get("messageId"));
        }
        if (messageId == null || messageId.isBlank()) {
            messageId = "sha256:" + sha256(body);
        }
        Map<?, ?> death = lastDeath(in.getHeader("x-death"));
        String reason = string(in.getHeader(DeadLetters.REASON));
        if (reason == null && death != null) {
            reason = string(death.get("reason"));
        }
        Instant failedAt = instant(in.getHeader(DeadLetters.FAILED_AT));
        if (failedAt == null && death != null && death.get("time") instanceof Date time) {
            failedAt = time.toInstant();
        }
        Integer attempts = number(in.getHeader(DeadLetters.ATTEMPTS));
        if (attempts == null && death != null) {
            attempts = number(death.get("count"));
        }
        Integer replay = number(in.getHeader(REPLAY));
        String queue = string(in.getHeader(DeadLetters.QUEUE));
        Object[] values = {queue == null ? ShippingTopology.QUEUE : queue, body, write(properties), write(headers), orderId,
                reason == null ? "unknown" : reason, string(in.getHeader(DeadLetters.ROUTE)), attempts,
                Timestamp.from(failedAt == null ? Instant.now() : failedAt)};

        if (replay != null) {
            // the failure of a replay of this row: waiting again, with what it failed of this time
            int back = jdbc.update("UPDATE dead_letters SET queue = ?, body = ?, properties = ?::jsonb, headers = ?::jsonb, order_id = ?,"
                    + " reason = ?, failed_route = ?, attempts = ?, failed_at = ?, received_at = now(), replayed_at = NULL, published_at = NULL"
                    + " WHERE message_id = ? AND replays = ? AND replayed_at IS NOT NULL", append(values, messageId, replay));
            if (back == 1) {
                log.warn("replayed dead letter {} (order {}) failed again: {}", messageId, orderId, reason);
                forgetDepth();
                return;
            }
        }
        int added = jdbc.update("INSERT INTO dead_letters (queue, body, properties, headers, order_id, reason, failed_route, attempts,"
                + " failed_at, message_id) VALUES (?, ?, ?::jsonb, ?::jsonb, ?, ?, ?, ?, ?, ?) ON CONFLICT (message_id) DO NOTHING",
                append(values, messageId));
        if (added == 1) {
            log.warn("dead letter {} (order {}) in the hospital after {} attempt(s): {}", messageId, orderId, attempts, reason);
            forgetDepth();
        } else {
            log.info("dead letter {} is in the hospital already: this copy changes nothing", messageId);
        }
    }

    // ---- listing ---------------------------------------------------------------------------------------

    /** The number of dead letters waiting and the first {@code dlq-list-limit} of them, oldest first. */
    @Transactional(readOnly = true)
    public Listing list() {
        int count = waiting();
        List<DeadLetter> messages = jdbc.query("SELECT order_id, reason, failed_at, attempts, message_id, failed_route, last_replayed_at"
                        + " FROM dead_letters WHERE replayed_at IS NULL ORDER BY id LIMIT ?",
                (rs, i) -> new DeadLetter(rs.getString(1), rs.getString(2), iso(rs.getTimestamp(3)), (Integer) rs.getObject(4),
                        rs.getString(5), rs.getString(6), iso(rs.getTimestamp(7))),
                listLimit);
        return new Listing(count, messages);
    }

    /** Dead letters waiting now. */
    public int waiting() {
        Integer n = jdbc.queryForObject("SELECT count(*) FROM dead_letters WHERE replayed_at IS NULL", Integer.class);
        int count = n == null ? 0 : n;
        depth = count;
        depthReadAt = System.currentTimeMillis();
        return count;
    }

    /** The gauge's value: the count read at most {@code dlq-depth-cache-ms} ago; NaN while the database cannot tell. */
    double cachedDepth() {
        if (System.currentTimeMillis() - depthReadAt >= depthCacheMs) {
            synchronized (this) {
                if (System.currentTimeMillis() - depthReadAt >= depthCacheMs) {
                    try {
                        waiting();
                    } catch (RuntimeException e) {
                        log.warn("cannot count the dead letters: {}", e.toString());
                        depth = Double.NaN;
                        depthReadAt = System.currentTimeMillis();
                    }
                }
            }
        }
        return depth;
    }

    private void forgetDepth() {
        depthReadAt = 0;
    }

    // ---- replay ----------------------------------------------------------------------------------------

    /**
     * Marks up to {@code limit} waiting dead letters, oldest first, to be published back to
     * {@code shipping.order-confirmed}; one transaction. Rows another replay holds are skipped, so two
     * concurrent replays never take the same row.
     */
    @Transactional
    public int replay(int limit) {
        int marked = jdbc.update("UPDATE dead_letters SET replayed_at = now(), last_replayed_at = now(), replays = replays + 1,"
                + " published_at = NULL WHERE id IN (SELECT id FROM dead_letters WHERE replayed_at IS NULL ORDER BY id LIMIT ?"
                + " FOR UPDATE SKIP LOCKED)", limit);
        forgetDepth();
        log.info("replay: {} dead letter(s) marked to go back to {}", marked, ShippingTopology.QUEUE);
        return marked;
    }

    /**
     * Publishes the replayed rows not yet published (a batch, locked with SKIP LOCKED) to
     * {@code shipping.order-confirmed} through the default exchange, mandatory, each confirmed by the broker, and
     * records them published in the same transaction. A failed publish rolls the batch back: published again on
     * the next run.
     *
     * @return the number published
     */
    @Transactional(propagation = Propagation.REQUIRES_NEW)
    public int republishPending() throws IOException {
        List<Replay> batch = jdbc.query("SELECT id, body, properties::text, headers::text, replays, last_replayed_at FROM dead_letters"
                        + " WHERE replayed_at IS NOT NULL AND published_at IS NULL ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED",
                (rs, i) -> new Replay(rs.getLong(1), rs.getBytes(2), read(rs.getString(3)), read(rs.getString(4)), rs.getInt(5),
                        rs.getTimestamp(6).toInstant()),
                PUBLISH_BATCH);
        if (batch.isEmpty()) {
            return 0;
        }
        Channel channel = connections.createConnection().getDelegate().createChannel();
        if (channel == null) {
            throw new IOException("the broker connection has no free channel");
        }
        try {
            channel.confirmSelect();
            AtomicReference<Return> unroutable = new AtomicReference<>();
            channel.addReturnListener(unroutable::set);
            for (Replay r : batch) {
                channel.basicPublish("", ShippingTopology.QUEUE, true, r.amqpProperties(), r.body());
            }
            channel.waitForConfirmsOrDie(CONFIRM_TIMEOUT_MS);
            if (unroutable.get() != null) {
                throw new IOException("queue " + ShippingTopology.QUEUE + " did not take a replayed message: "
                        + unroutable.get().getReplyText());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the broker's confirm", e);
        } catch (TimeoutException e) {
            throw new IOException("the broker did not confirm the replayed messages", e);
        } finally {
            close(channel);
        }
        Long[] ids = batch.stream().map(Replay::id).toArray(Long[]::new);
        jdbc.update("UPDATE dead_letters SET published_at = now() WHERE id = ANY(?)", (Object) ids);
        log.info("replay: published {} dead letter(s) back to {}", batch.size(), ShippingTopology.QUEUE);
        return batch.size();
    }

    /**
     * The dead letter's properties for its way back: failure headers and x-death removed, stamped
     * {@code x-replayed-at}, persistent; no expiration (it expired once) and no user-id (it must match the
     * replaying connection's user).
     */
    static AMQP.BasicProperties replayProperties(AMQP.BasicProperties original, Instant replayedAt) {
        Map<String, Object> headers = original.getHeaders() == null ? new HashMap<>() : new HashMap<>(original.getHeaders());
        headers.keySet().removeIf(ShippingDeadLetterQueue::isFailureHeader);
        headers.put(REPLAYED_AT, replayedAt.toString());
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

    /** One row on its way back. */
    private record Replay(long id, byte[] body, Map<String, Object> properties, Map<String, Object> headers, int replays,
                          Instant replayedAt) {

        AMQP.BasicProperties amqpProperties() {
            Map<String, Object> h = new HashMap<>(headers);
            h.put(REPLAY, replays);
            AMQP.BasicProperties stored = new AMQP.BasicProperties.Builder()
                    .contentType(string(properties.get("contentType")))
                    .contentEncoding(string(properties.get("contentEncoding")))
                    .messageId(string(properties.get("messageId")))
                    .correlationId(string(properties.get("correlationId")))
                    .type(string(properties.get("type")))
                    .appId(string(properties.get("appId")))
                    .headers(h)
                    .build();
            return replayProperties(stored, replayedAt);
        }
    }

    // ---- helpers ---------------------------------------------------------------------------------------

    private static Object[] append(Object[] values, Object... more) {
        Object[] all = new Object[values.length + more.length];
        System.arraycopy(values, 0, all, 0, values.length);
        System.arraycopy(more, 0, all, values.length, more.length);
        return all;
    }

    private static void putIfPresent(Map<String, Object> map, String key, Object value) {
        if (value != null) {
            map.put(key, value.toString());
        }
    }

    /** A header value as JSON can hold it: numbers, booleans and strings as they are, anything else as its text. */
    private static Object simple(Object value) {
        if (value instanceof Number || value instanceof Boolean || value instanceof String) {
            return value;
        }
        if (value instanceof byte[] bytes) {
            return new String(bytes, StandardCharsets.UTF_8);
        }
        return value.toString();
    }

    private JsonNode parse(byte[] body) {
        try {
            JsonNode node = json.readTree(body);
            return node != null && node.isObject() ? node : null;
        } catch (IOException | RuntimeException e) {
            return null; // not JSON: kept without an orderId; its reason says why it failed
        }
    }

    private String write(Map<String, Object> map) {
        try {
            return json.writeValueAsString(map);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private Map<String, Object> read(String text) {
        try {
            return json.readValue(text, MAP);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String sha256(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** x-death lists the most recent dead-lettering first. */
    private static Map<?, ?> lastDeath(Object xDeath) {
        if (xDeath instanceof List<?> deaths && !deaths.isEmpty() && deaths.get(0) instanceof Map<?, ?> first) {
            return first;
        }
        return null;
    }

    private static Instant instant(Object value) {
        if (value instanceof Date date) {
            return date.toInstant();
        }
        if (value != null) {
            try {
                return Instant.parse(value.toString());
            } catch (DateTimeParseException e) {
                return null;
            }
        }
        return null;
    }

    private static String iso(Timestamp t) {
        return t == null ? null : t.toInstant().toString();
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

    private static void close(Channel channel) {
        try {
            if (channel.isOpen()) {
                channel.close();
            }
        } catch (IOException | TimeoutException | RuntimeException e) {
            log.debug("closing a replay channel: {}", e.toString());
        }
    }

    public record Listing(int count, List<DeadLetter> messages) {
    }
}
