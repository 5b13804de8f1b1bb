package shop.payment.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;

import shop.contracts.Command;
import shop.contracts.payment.ChargePayment;
import shop.contracts.payment.GetPayment;
import shop.contracts.payment.RefundPayment;
import shop.platform.messaging.Envelope;

/**
 * What every payment-service test talks to: the real RabbitMQ (commands via {@code shop.commands}, events read
 * from a private queue bound to {@code shop.events} with {@code payment.*}) and the real PostgreSQL (database
 * {@code payments_test}, emptied before each test). Contexts are closed after each class so that only one
 * application consumes {@code payment.commands} at a time.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
public abstract class PaymentServiceTestSupport {

    /** Properties every test context sets (beside its own). */
    public static final String DB = "shop.db.name=payments_test";
    public static final String NO_BACKGROUND_RECONCILER = "shop.payment.reconcile-initial-delay-ms=3600000";
    public static final String FAST_OUTBOX = "shop.outbox.poll-interval-ms=100";

    protected static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    protected JdbcTemplate jdbc;
    @Autowired
    protected ConnectionFactory connectionFactory;
    @Autowired
    protected AmqpAdmin admin;

    protected RabbitTemplate rabbit;
    private String eventQueue;
    private final List<Received> events = new CopyOnWriteArrayList<>();

    /** An event as it arrived: its JSON body and its AMQP properties. */
    public record Received(Map<String, Object> body, MessageProperties properties) {

        public Object get(String field) {
            return body.get(field);
        }
    }

    @BeforeAll
    void connectBroker() {
        rabbit = new RabbitTemplate(connectionFactory);
        rabbit.setReplyTimeout(20_000);
        admin.purgeQueue("payment.commands", false);
        eventQueue = "payment-service-test-events-" + UUID.randomUUID();
        // x-expires: the broker drops the queue even if this JVM dies before @AfterAll
        admin.declareQueue(new Queue(eventQueue, false, false, true, Map.of("x-expires", 600_000)));
        admin.declareBinding(new Binding(eventQueue, Binding.DestinationType.QUEUE, "shop.events", "payment.*", null));
    }

    @AfterAll
    void disconnectBroker() {
        if (eventQueue != null) {
            admin.deleteQueue(eventQueue);
        }
        if (rabbit != null) {
            rabbit.stop(); // its direct reply-to consumer, before the context closes the connection under it
        }
    }

    @BeforeEach
    void cleanDatabase() {
        jdbc.execute("TRUNCATE payments, payment_cancellations, simulator_charges, outbox");
    }

    // ---- commands ----

    /**
     * Sends a command as the order service does - its contract record, routing key its type - and waits for the
     * reply. The reply is read as JSON, not as the record: these tests check the wire (no field too many).
     */
    protected Map<String, Object> send(Command<?> command) {
        return send(command.type(), json(command), System.currentTimeMillis() + 15_000);
    }

    /** Sends a hand-made command (any fields, of any JSON type) in its envelope and waits for the reply. */
    protected Map<String, Object> send(String type, Map<String, ?> data) {
        return send(type, json(command(type, data)), System.currentTimeMillis() + 15_000);
    }

    protected Map<String, Object> send(String type, byte[] body, Long deadline) {
        return sendVia("shop.commands", type, body, deadline);
    }

    protected Map<String, Object> sendVia(String exchange, String routingKey, byte[] body, Long deadline) {
        MessageProperties props = new MessageProperties();
        props.setContentType(MessageProperties.CONTENT_TYPE_JSON);
        props.setMessageId(UUID.randomUUID().toString());
        if (deadline != null) {
            props.setHeader("deadline", deadline);
        }
        Message reply = rabbit.sendAndReceive(exchange, routingKey, new Message(body, props));
        assertThat(reply).as("reply to %s", routingKey).isNotNull();
        return parse(reply.getBody());
    }

    /** The command envelope the order service sends: messageId, type, occurredAt, schemaVersion, then the data. */
    protected static Map<String, Object> command(String type, Map<String, ?> data) {
        return Envelope.of(type, data);
    }

    protected static Map<String, Object> chargeData(UUID orderId, long amount, String paymentMethod) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("orderId", orderId.toString());
        m.put("userId", "user-42");
        m.put("amount", amount);
        m.put("currency", "USD");
        m.put("paymentMethod", paymentMethod);
        return m;
    }

    protected Map<String, Object> charge(UUID orderId, long amount, String paymentMethod) {
        return send(ChargePayment.of(orderId, "user-42", amount, "USD", paymentMethod));
    }

    protected Map<String, Object> refund(UUID orderId) {
        return send(RefundPayment.of(orderId));
    }

    protected Map<String, Object> status(UUID orderId) {
        return send(GetPayment.of(orderId));
    }

    // ---- events ----

    /** Waits for the event of this type about this order and returns it. */
    protected Received awaitEvent(String type, UUID orderId) {
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                .until(() -> !eventsOf(type, orderId).isEmpty());
        return eventsOf(type, orderId).get(0);
    }

    /** The events of this type about this order received so far (drains the test queue first). */
    protected List<Received> eventsOf(String type, UUID orderId) {
        Message m;
        while ((m = rabbit.receive(eventQueue)) != null) {
            events.add(new Received(parse(m.getBody()), m.getMessageProperties()));
        }
        List<Received> matching = new ArrayList<>();
        for (Received e : events) {
            if (type.equals(e.get("type")) && orderId.toString().equals(e.get("orderId"))) {
                matching.add(e);
            }
        }
        return matching;
    }

    /**
     * Proves that nothing more was published for this order: completes a fresh charge and waits for its event.
     * The outbox relay publishes in commit order, so once this later event has arrived, every event written
     * before it has too.
     */
    protected void awaitOutboxFlushed() {
        UUID barrier = UUID.randomUUID();
        assertThat(charge(barrier, 1, "pm_card_visa")).containsEntry("status", "COMPLETED");
        awaitEvent("payment.completed", barrier);
    }

    // ---- database ----

    protected Map<String, Object> paymentRow(UUID orderId) {
        return jdbc.queryForMap("SELECT * FROM payments WHERE order_id = ?", orderId);
    }

    protected int count(String table) {
        Integer n = jdbc.queryForObject("SELECT count(*) FROM " + table, Integer.class);
        return n == null ? 0 : n;
    }

    protected int paymentsOf(UUID orderId) {
        Integer n = jdbc.queryForObject("SELECT count(*) FROM payments WHERE order_id = ?", Integer.class, orderId);
        return n == null ? 0 : n;
    }

    protected boolean tombstoned(UUID orderId) {
        return Boolean.TRUE.equals(jdbc.queryForObject(
                "SELECT EXISTS (SELECT 1 FROM payment_cancellations WHERE order_id = ?)", Boolean.class, orderId));
    }

    // ---- JSON ----

    protected static byte[] json(Object value) {
        try {
            return JSON.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    protected static Map<String, Object> parse(byte[] body) {
        try {
            return JSON.readValue(body, new TypeReference<>() {
            });
        } catch (IOException e) {
            throw new AssertionError("not a JSON object: " + new String(body, StandardCharsets.UTF_8), e);
        }
    }
}
