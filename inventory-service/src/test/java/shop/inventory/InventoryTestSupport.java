package shop.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;

import shop.contracts.Command;
import shop.contracts.inventory.ConfirmReservation;
import shop.contracts.inventory.GetReservation;
import shop.contracts.inventory.ReleaseReservation;
import shop.contracts.inventory.ReserveStock;
import shop.inventory.config.InventoryMessaging;
import shop.platform.messaging.Envelope;
import shop.platform.messaging.Topology;

/**
 * Runs the whole service against the real RabbitMQ and PostgreSQL (database {@code inventory_test}) and talks to
 * it the way the order service does: request-reply on {@code shop.commands} with a {@code deadline} header.
 * Every test class shares one application context (same properties), so only one set of consumers is on
 * {@code inventory.commands}; tables are emptied before each test.
 */
@CamelSpringBootTest
@SpringBootTest(classes = InventoryApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "shop.db.name=inventory_test",
        "shop.inventory.expiry.interval=200ms",
        "shop.inventory.command-consumers=4",
        "spring.rabbitmq.template.reply-timeout=20000",
        "DB_LOCK_TIMEOUT=1s",
})
public abstract class InventoryTestSupport {

    protected static final TypeReference<Map<String, Object>> JSON_OBJECT = new TypeReference<>() { };
    private static final int CONSUMERS = 4;
    private static volatile boolean consumersChecked;

    @Autowired
    protected RabbitTemplate rabbit;
    @Autowired
    protected AmqpAdmin rabbitAdmin;
    @Autowired
    protected JdbcTemplate jdbc;
    @Autowired
    protected ObjectMapper json;

    /** Commands left in the queue by an earlier, interrupted run must not reach this one. */
    @BeforeAll
    static void purgeCommandQueue() {
        CachingConnectionFactory factory = new CachingConnectionFactory("127.0.0.1", 5672);
        try {
            RabbitAdmin admin = new RabbitAdmin(factory);
            Properties queue = admin.getQueueProperties(InventoryMessaging.COMMAND_QUEUE);
            if (queue != null) {
                admin.purgeQueue(InventoryMessaging.COMMAND_QUEUE, false);
            }
        } finally {
            factory.destroy();
        }
    }

    @BeforeEach
    void emptyTables() {
        jdbc.execute("TRUNCATE reservation_lines, reservations, products");
    }

    /**
     * Another inventory-service on the same broker (a local stack) would answer some of our commands from its own
     * database: fail with a clear message instead of flaking.
     */
    @BeforeEach
    void onlyOurConsumers() {
        if (consumersChecked) {
            return;
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> consumers() >= CONSUMERS);
        assertThat(consumers()).as("consumers on " + InventoryMessaging.COMMAND_QUEUE
                + " (another inventory-service running against this broker? stop it before running these tests)")
                .isEqualTo(CONSUMERS);
        consumersChecked = true;
    }

    private int consumers() {
        var info = rabbitAdmin.getQueueInfo(InventoryMessaging.COMMAND_QUEUE);
        return info == null ? 0 : info.getConsumerCount();
    }

    // --- commands -----------------------------------------------------------------------------------------

    protected Map<String, Object> reserve(UUID orderId, Object... productAndQuantity) {
        List<ReserveStock.Line> items = new ArrayList<>();
        for (int i = 0; i < productAndQuantity.length; i += 2) {
            items.add(new ReserveStock.Line((String) productAndQuantity[i], (Integer) productAndQuantity[i + 1]));
        }
        return command(ReserveStock.of(orderId, items));
    }

    protected Map<String, Object> release(UUID orderId) {
        return command(ReleaseReservation.of(orderId));
    }

    protected Map<String, Object> confirm(UUID orderId) {
        return command(ConfirmReservation.of(orderId));
    }

    protected Map<String, Object> status(UUID orderId) {
        return command(GetReservation.of(orderId));
    }

    /**
     * Sends a command as the order service does - its contract record, routing key its type - and waits for the
     * reply. The reply is read as JSON, not as the record: these tests check the wire (no field too many).
     */
    protected Map<String, Object> command(Command<?> command) {
        return send(Topology.COMMANDS, command.type(), bytes(command), System.currentTimeMillis() + 15_000);
    }

    /** Sends a hand-made command in its envelope (messageId, type, occurredAt, schemaVersion) and waits for the reply. */
    protected Map<String, Object> command(String type, Map<String, ?> data) {
        return send(Topology.COMMANDS, type, bytes(Envelope.of(type, data)), System.currentTimeMillis() + 15_000);
    }

    protected byte[] bytes(Object message) {
        try {
            return json.writeValueAsBytes(message);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** Request-reply exactly as the order service does it: JSON bytes, content type, deadline header, direct reply-to. */
    protected Map<String, Object> send(String exchange, String routingKey, byte[] body, long deadline) {
        MessageProperties properties = new MessageProperties();
        properties.setContentType(MessageProperties.CONTENT_TYPE_JSON);
        properties.setMessageId(UUID.randomUUID().toString());
        properties.setHeader("deadline", deadline);
        Message reply = rabbit.sendAndReceive(exchange, routingKey, new Message(body, properties));
        assertThat(reply).as("reply to " + routingKey).isNotNull();
        try {
            return json.readValue(reply.getBody(), JSON_OBJECT);
        } catch (java.io.IOException e) {
            throw new AssertionError("reply is not a JSON object: " + new String(reply.getBody()), e);
        }
    }

    // --- database -----------------------------------------------------------------------------------------

    protected void product(String productId, long priceCents, String currency, int available) {
        jdbc.update("INSERT INTO products (product_id, name, price_cents, currency, available) VALUES (?, ?, ?, ?, ?)",
                productId, "Product " + productId, priceCents, currency, available);
    }

    /** {@code [available, reserved]} of a product. */
    protected List<Integer> stock(String productId) {
        return jdbc.queryForObject("SELECT available, reserved FROM products WHERE product_id = ?",
                (rs, i) -> List.of(rs.getInt(1), rs.getInt(2)), productId);
    }

    /** The order's reservation row (status, reservation_id, ...), or null. */
    protected Map<String, Object> reservationRow(UUID orderId) {
        List<Map<String, Object>> rows = jdbc.queryForList("SELECT * FROM reservations WHERE order_id = ?", orderId);
        return rows.isEmpty() ? null : new LinkedHashMap<>(rows.get(0));
    }

    protected String reservationStatus(UUID orderId) {
        Map<String, Object> row = reservationRow(orderId);
        return row == null ? null : (String) row.get("status");
    }

    protected int count(String table) {
        Integer n = jdbc.queryForObject("SELECT count(*) FROM " + table, Integer.class);
        return n == null ? 0 : n;
    }

    /** Makes the order's reservation due for expiry, as if its TTL had passed. */
    protected void expireInDatabase(UUID orderId) {
        assertThat(jdbc.update("UPDATE reservations SET expires_at = now() - interval '1 second' WHERE order_id = ?", orderId))
                .isEqualTo(1);
    }
}
