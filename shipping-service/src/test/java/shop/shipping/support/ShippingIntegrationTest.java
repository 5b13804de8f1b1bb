package shop.shipping.support;

import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import shop.contracts.order.OrderConfirmed;
import shop.platform.messaging.Topology;
import shop.shipping.config.ShippingTopology;

/**
 * The whole service against the real RabbitMQ and PostgreSQL of the machine (CONTRACT.md defaults), with the
 * carrier replaced by {@link CarrierStub}. Every integration test class extends this one unchanged, so they
 * all share one Spring context - one consumer on the queues, never two. Tracing runs as in production
 * (Spring Boot switches it off in tests unless asked).
 */
@org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "shop.db.name=shipping_test",
        "shop.deadletter.max-attempts=3",
        "shop.deadletter.initial-delay-ms=100",
        "shop.outbox.poll-interval-ms=100",
        "shop.shipping.carrier-timeout-ms=500",
        "shop.shipping.dlq-depth-cache-ms=200",
        // the broker is shared with other modules' tests: look past their dead letters for ours
        "shop.shipping.dlq-list-limit=1000",
        "logging.level.shop=INFO"
})
public abstract class ShippingIntegrationTest {

    public static final String OPERATOR = "operator";
    public static final String OPERATOR_PASSWORD = "operator-dev-password";
    public static final String CONSUMER_ROUTE = "shipping-order-confirmed";
    public static final String REPLAY_ROUTE = "shipments-dlq-replay";
    public static final String INTAKE_ROUTE = "shipments-dlq-intake";

    protected static final CarrierStub carrier = new CarrierStub(3000);
    protected static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @DynamicPropertySource
    static void carrierUrl(DynamicPropertyRegistry registry) {
        registry.add("SHIPPING_CARRIER_URL", carrier::url);
    }

    @AfterAll
    static void releaseSlowCalls() {
        carrier.reset();
    }

    @Autowired protected RabbitTemplate rabbit;
    @Autowired protected AmqpAdmin admin;
    @Autowired protected JdbcTemplate jdbc;
    @Autowired protected CamelContext camel;
    @LocalServerPort protected int port;

    /** Receives every shipment.* event this service publishes, for the test that is running. */
    protected String shipmentEvents;

    @BeforeEach
    void cleanSlate() throws Exception {
        awaitQuiet();
        if (camel.getRouteController().getRouteStatus(REPLAY_ROUTE) != ServiceStatus.Stopped) {
            camel.getRouteController().stopRoute(REPLAY_ROUTE);
        }
        if (camel.getRouteController().getRouteStatus(CONSUMER_ROUTE) != ServiceStatus.Started) {
            camel.getRouteController().startRoute(CONSUMER_ROUTE);
        }
        admin.purgeQueue(ShippingTopology.QUEUE, false);
        admin.purgeQueue(ShippingTopology.DLQ, false);
        jdbc.update("DELETE FROM dead_letters");
        jdbc.update("DELETE FROM shipments");
        jdbc.update("DELETE FROM inbox");
        jdbc.update("DELETE FROM outbox");
        carrier.reset();
        // exclusive to this connection, not auto-delete (read with basicGet, so it never has a consumer)
        Queue events = new Queue("shipping-test.shipment-events." + UUID.randomUUID(), false, true, false);
        admin.declareQueue(events);
        admin.declareBinding(new Binding(events.getName(), Binding.DestinationType.QUEUE, Topology.EVENTS, "shipment.*", null));
        shipmentEvents = events.getName();
    }

    @AfterEach
    void settle() throws Exception {
        carrier.reset();
        if (shipmentEvents != null) {
            admin.deleteQueue(shipmentEvents);
        }
    }

    /** No message in flight in the consumer routes (a test never starts on the previous one's leftovers). */
    protected void awaitQuiet() {
        await().atMost(Duration.ofSeconds(30)).until(() ->
                camel.getInflightRepository().size(CONSUMER_ROUTE) == 0
                        && camel.getInflightRepository().size("create-shipment") == 0
                        && camel.getInflightRepository().size(REPLAY_ROUTE) == 0
                        && camel.getInflightRepository().size(INTAKE_ROUTE) == 0);
    }

    // ---- events ----

    public static Map<String, Object> orderConfirmed(UUID orderId, String messageId) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("messageId", messageId);
        event.put("type", "order.confirmed");
        event.put("occurredAt", "2025-01-01T00:00:00Z");
        event.put("schemaVersion", 1);
        event.put("orderId", orderId.toString());
        event.put("userId", "user-" + orderId.toString().substring(0, 8));
        event.put("items", List.of(Map.of("productId", "SKU-001", "quantity", 2, "unitPrice", 1999),
                Map.of("productId", "SKU-002", "quantity", 1, "unitPrice", 500)));
        event.put("totalAmount", 4498);
        event.put("currency", "USD");
        event.put("shippingAddress", new LinkedHashMap<>(Map.of("name", "Ada Lovelace", "line1", "1 Main St",
                "city", "London", "postalCode", "N1 9GU", "country", "GB")));
        event.put("someFutureField", "consumers ignore unknown fields");
        return event;
    }

    /** Publishes the event to shop.events with routing key order.confirmed and waits for the broker's confirm. */
    protected void publish(Map<String, Object> event) throws Exception {
        publishRaw(JSON.writeValueAsBytes(event), String.valueOf(event.get("messageId")));
    }

    protected void publishRaw(byte[] body, String messageId) {
        Message message = MessageBuilder.withBody(body)
                .setContentType("application/json")
                .setMessageId(messageId)
                .setDeliveryMode(MessageDeliveryMode.PERSISTENT)
                .setHeader("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")
                .build();
        rabbit.invoke(t -> {
            t.send(Topology.EVENTS, OrderConfirmed.TYPE, message);
            t.waitForConfirmsOrDie(5000);
            return null;
        });
    }

    // ---- state ----

    protected int shipmentCount(UUID orderId) {
        Integer n = jdbc.queryForObject("SELECT count(*) FROM shipments WHERE order_id = ?", Integer.class, orderId);
        return n == null ? 0 : n;
    }

    protected int queueDepth(String queue) {
        return rabbit.execute(ch -> ch.queueDeclarePassive(queue).getMessageCount());
    }

    /** Dead letters waiting in the message hospital (table dead_letters). */
    protected int dlqDepth() {
        Integer n = jdbc.queryForObject("SELECT count(*) FROM dead_letters WHERE replayed_at IS NULL", Integer.class);
        return n == null ? 0 : n;
    }

    /**
     * The dead letters, as GET /admin/dlq/shipments lists them, of the given orders or messages. The broker is
     * shared: another service's tests may publish order.confirmed events of their own at the same time, and
     * those land in the same queues; assertions therefore look at this test's messages only.
     */
    protected List<JsonNode> deadLettersOf(Object... ids) throws Exception {
        Response listing = asOperatorGet("/admin/dlq/shipments");
        if (listing.status() != 200) {
            throw new AssertionError("GET /admin/dlq/shipments answered " + listing.status() + " " + listing.raw());
        }
        java.util.Set<String> wanted = java.util.Arrays.stream(ids).map(String::valueOf).collect(java.util.stream.Collectors.toSet());
        List<JsonNode> found = new ArrayList<>();
        listing.body().get("messages").forEach(m -> {
            if (wanted.contains(m.path("orderId").asText(null)) || wanted.contains(m.path("messageId").asText(null))) {
                found.add(m);
            }
        });
        return found;
    }

    /** Waits until exactly {@code count} dead letters of these orders/messages wait in the DLQ, and returns them. */
    protected List<JsonNode> awaitDeadLetters(int count, Object... ids) {
        java.util.concurrent.atomic.AtomicReference<List<JsonNode>> found = new java.util.concurrent.atomic.AtomicReference<>();
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            found.set(deadLettersOf(ids));
            return found.get().size() == count;
        });
        return found.get();
    }

    protected void awaitShipment(UUID orderId) {
        await().atMost(Duration.ofSeconds(20)).until(() -> shipmentCount(orderId) == 1);
    }

    /** Every shipment.created event published until the outbox is empty and nothing more arrives. */
    protected List<JsonNode> shipmentCreatedEvents() throws Exception {
        await().atMost(Duration.ofSeconds(20)).until(() -> outboxBacklog() == 0);
        List<JsonNode> events = new ArrayList<>();
        Message m;
        while ((m = rabbit.receive(shipmentEvents, 500)) != null) {
            events.add(JSON.readTree(m.getBody()));
        }
        return events;
    }

    protected int outboxBacklog() {
        Integer n = jdbc.queryForObject("SELECT count(*) FROM outbox", Integer.class);
        return n == null ? 0 : n;
    }

    // ---- HTTP ----

    public record Response(int status, JsonNode body, String raw) {
    }

    protected Response get(String path, String user, String password) throws Exception {
        return send(HttpRequest.newBuilder(uri(path)).GET(), user, password);
    }

    protected Response post(String path, String user, String password) throws Exception {
        return send(HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.noBody()), user, password);
    }

    protected Response postJson(String path, String json, String user, String password) throws Exception {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)), user, password);
    }

    protected Response asOperatorGet(String path) throws Exception {
        return get(path, OPERATOR, OPERATOR_PASSWORD);
    }

    protected Response asOperatorPost(String path) throws Exception {
        return post(path, OPERATOR, OPERATOR_PASSWORD);
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private Response send(HttpRequest.Builder request, String user, String password) throws Exception {
        request.timeout(Duration.ofSeconds(60));
        if (user != null) {
            request.header("Authorization", "Basic " + Base64.getEncoder()
                    .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode body = null;
        if (!response.body().isEmpty() && response.headers().firstValue("Content-Type").orElse("").contains("json")) {
            body = JSON.readTree(response.body());
        }
        return new Response(response.statusCode(), body, response.body());
    }
}
