package shop.order;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.AnonymousQueue;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.TopicExchange;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import shop.order.domain.Lease;
import shop.order.domain.OrderStore;
import shop.platform.messaging.QueueDeclarations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The saga routes against the real RabbitMQ and PostgreSQL, with inventory and payment played by
 * {@link FakeParticipants} on their real command queues.
 */
class OrderSagaTest extends OrderServiceTest {

    static FakeParticipants participants;

    @Autowired
    CircuitBreakerRegistry breakers;
    @Autowired
    ConnectionFactory connections;
    @Autowired
    QueueDeclarations queues;
    @Autowired
    OrderStore store;

    @BeforeEach
    void setUp() {
        if (participants == null) {
            participants = new FakeParticipants(connections, queues);
        }
        breakers.getAllCircuitBreakers().forEach(CircuitBreaker::reset);
    }

    @AfterAll
    static void tearDown() {
        if (participants != null) {
            participants.close();
            participants = null;
        }
    }

    @Test
    void confirmsAnOrderThroughEveryStepAndPublishesOrderConfirmed() throws Exception {
        RabbitAdmin admin = new RabbitAdmin(connections);
        AnonymousQueue events = new AnonymousQueue();
        admin.declareQueue(events);
        admin.declareBinding(BindingBuilder.bind(events).to(new TopicExchange("shop.events")).with("order.confirmed"));

        HttpResponse<String> response = post("u1", order("SKU-A", 2, "pm_card_visa"), null);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        JsonNode body = JSON.readTree(response.body());
        String orderId = body.get("orderId").asText();
        assertThat(body.get("totalAmount").asLong()).isEqualTo(2000);
        assertThat(participants.typesFor(orderId)).containsExactly("inventory.reserve", "payment.charge", "inventory.confirm");
        assertThat(row(orderId)).containsEntry("status", "CONFIRMED").containsEntry("saga_step", "DONE");
        // commands live no longer than the reply timeout: transient, with that expiration and deadline
        assertThat(participants.received).filteredOn(c -> orderId.equals(c.orderId())).allSatisfy(c -> {
            assertThat(c.properties().getReceivedDeliveryMode()).isEqualTo(MessageDeliveryMode.NON_PERSISTENT);
            assertThat(c.properties().getExpiration()).isNotBlank();
            assertThat(c.properties().getHeaders()).containsKey("deadline");
        });

        RabbitTemplate rabbit = new RabbitTemplate(connections);
        Message published = await().atMost(Duration.ofSeconds(10)).until(() -> {
            Message m = rabbit.receive(events.getName());
            return m != null && new String(m.getBody(), StandardCharsets.UTF_8).contains(orderId) ? m : null;
        }, m -> m != null);
        JsonNode event = JSON.readTree(published.getBody());
        assertThat(event.get("type").asText()).isEqualTo("order.confirmed");
        assertThat(event.get("schemaVersion").asInt()).isEqualTo(1);
        assertThat(event.get("messageId").asText()).isNotBlank();
        assertThat(event.get("occurredAt").asText()).isNotBlank();
        assertThat(event.get("userId").asText()).isEqualTo("u1");
        assertThat(event.get("items").get(0).get("unitPrice").asLong()).isEqualTo(1000);
        assertThat(event.get("shippingAddress").get("country").asText()).isEqualTo("GB");
        assertThat(published.getMessageProperties().getMessageId()).isEqualTo(event.get("messageId").asText());
        await().atMost(Duration.ofSeconds(5)).until(() -> jdbc.queryForObject("SELECT count(*) FROM outbox", Long.class) == 0);
    }

    @Test
    void outOfStockFailsAndReleasesWhatWasBegun() throws Exception {
        HttpResponse<String> response = post("u2", order("OOS-1", 1, "pm_card_visa"), null);

        assertThat(response.statusCode()).isEqualTo(409);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("reason").asText()).isEqualTo("OUT_OF_STOCK");
        String orderId = body.get("orderId").asText();
        awaitCompensated(orderId);
        assertThat(participants.typesFor(orderId)).containsExactly("inventory.reserve", "inventory.release");
    }

    @Test
    void declinedPaymentCompensatesNewestFirst() throws Exception {
        HttpResponse<String> response = post("u3", order("SKU-B", 1, "pm_card_chargeDeclined"), null);

        assertThat(response.statusCode()).isEqualTo(402);
        String orderId = JSON.readTree(response.body()).get("orderId").asText();
        awaitCompensated(orderId);
        assertThat(participants.typesFor(orderId))
                .containsExactly("inventory.reserve", "payment.charge", "payment.refund", "inventory.release");
        assertThat(row(orderId)).containsEntry("status", "FAILED").containsEntry("reason", "PAYMENT_DECLINED");
    }

    @Test
    void unknownProductIsUnprocessable() throws Exception {
        HttpResponse<String> response = post("u4", order("UNKNOWN-1", 1, "pm_card_visa"), null);
        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(JSON.readTree(response.body()).get("reason").asText()).isEqualTo("UNKNOWN_PRODUCT");
    }

    @Test
    void silentInventoryAnswers503AndReleasesTheKeyForARetry() throws Exception {
        String key = "k-" + UUID.randomUUID();
        HttpResponse<String> response = post("u5", order("SILENT-1", 1, "pm_card_visa"), key);

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Retry-After")).isPresent();
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("status").asText()).isEqualTo("SERVICE_UNAVAILABLE");
        assertThat(body.get("retry_after").asInt()).isPositive();
        String failed = jdbc.queryForObject("SELECT order_id::text FROM orders WHERE released_idempotency_key = ?", String.class, key);
        awaitCompensated(failed);
        assertThat(row(failed)).containsEntry("reason", "SERVICE_UNAVAILABLE");

        HttpResponse<String> retry = post("u5", order("SKU-C", 1, "pm_card_visa"), key);
        assertThat(retry.statusCode()).as("a retry after 503 places the order").isEqualTo(201);
        assertThat(JSON.readTree(retry.body()).get("orderId").asText()).isNotEqualTo(failed);
    }

    @Test
    void unknownChargeOutcomeIsRefunded() throws Exception {
        HttpResponse<String> response = post("u6", order("SKU-D", 1, "pm_pending"), null);

        assertThat(response.statusCode()).isEqualTo(503);
        String orderId = jdbc.queryForObject("SELECT order_id::text FROM orders WHERE user_id = 'u6' ORDER BY created_at DESC LIMIT 1", String.class);
        awaitCompensated(orderId);
        assertThat(participants.typesFor(orderId)).contains("payment.refund", "inventory.release");
    }

    @Test
    void breakerOpensAfterFailuresAndThenAnswersFastWithoutCallingInventory() throws Exception {
        for (int i = 0; i < 4; i++) {
            assertThat(post("u7", order("BROKEN-" + i, 1, "pm_card_visa"), null).statusCode()).isEqualTo(503);
        }
        assertThat(breakers.circuitBreaker("inventory").getState()).isEqualTo(CircuitBreaker.State.OPEN);

        long start = System.nanoTime();
        HttpResponse<String> response = post("u7", order("SKU-E", 1, "pm_card_visa"), null);
        long millis = (System.nanoTime() - start) / 1_000_000;

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(millis).isLessThan(1000);
        assertThat(Integer.parseInt(response.headers().firstValue("Retry-After").orElseThrow())).isGreaterThanOrEqualTo(30);
        String orderId = jdbc.queryForObject("SELECT order_id::text FROM orders WHERE user_id = 'u7' ORDER BY created_at DESC LIMIT 1", String.class);
        // (the earlier orders' compensations may still be sending commands: look at this order's only)
        assertThat(participants.typesFor(orderId)).doesNotContain("inventory.reserve");
        awaitCompensated(orderId);
    }

    @Test
    void recoveryConfirmsAPaidOrderAndCompensatesAnInterruptedOne() {
        UUID paid = insertStale("CHARGING", true, true);
        UUID interrupted = insertStale("RESERVING", true, false);

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(row(paid.toString())).containsEntry("status", "CONFIRMED");
            assertThat(row(interrupted.toString())).containsEntry("status", "FAILED").containsEntry("reason", "INTERRUPTED")
                    .containsEntry("saga_step", "COMPENSATED");
        });
        assertThat(participants.typesFor(paid.toString())).containsExactly("payment.status", "inventory.confirm");
        assertThat(participants.typesFor(interrupted.toString())).containsExactly("inventory.release");
    }

    // --- the paused live saga (issue 18): recovery took the order over while the live saga waited for an answer ---

    @Test
    void aLiveSagaTakenOverWhileItWaitedForTheConfirmNeitherRefundsNorReleasesTheConfirmedOrder() throws Exception {
        FakeParticipants.Hold confirm = participants.hold(c -> c.type().equals("inventory.confirm") && "u9".equals(userOf(c.orderId())));
        CompletableFuture<HttpResponse<String>> placing = place("u9", order("SKU-G", 1, "pm_card_visa"));
        UUID orderId = UUID.fromString(confirm.awaitArrival().orderId());

        // meanwhile, recovery (on any instance) takes the order over - epoch 1 - and confirms it; order.confirmed ships it
        Lease recovery = new Lease(orderId, store.takeOver(orderId, -3600).orElseThrow().leaseEpoch());
        store.confirm(recovery);
        // the live saga (epoch 0) now gets its answer and tries to write it
        confirm.release();

        HttpResponse<String> response = placing.get(20, TimeUnit.SECONDS);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        assertNothingMoreIsSent(orderId, "inventory.reserve", "payment.charge", "inventory.confirm");
        assertThat(row(orderId.toString())).containsEntry("status", "CONFIRMED").containsEntry("saga_step", "DONE");
    }

    @Test
    void aLiveSagaTakenOverWhileItWaitedForTheChargeWritesNothingAndCompensatesNothing() throws Exception {
        FakeParticipants.Hold charge = participants.hold(c -> c.type().equals("payment.charge") && "u10".equals(userOf(c.orderId())));
        CompletableFuture<HttpResponse<String>> placing = place("u10", order("SKU-H", 1, "pm_card_visa"));
        UUID orderId = UUID.fromString(charge.awaitArrival().orderId());

        // recovery asked payment.status (COMPLETED), recorded the payment and confirmed the order
        Lease recovery = new Lease(orderId, store.takeOver(orderId, -3600).orElseThrow().leaseEpoch());
        store.recordPayment(recovery, UUID.randomUUID());
        store.confirm(recovery);
        charge.release();

        assertThat(placing.get(20, TimeUnit.SECONDS).statusCode()).isEqualTo(201);
        assertNothingMoreIsSent(orderId, "inventory.reserve", "payment.charge");
        assertThat(row(orderId.toString())).containsEntry("status", "CONFIRMED");
    }

    @Test
    void aLiveSagaWhoseOrderRecoveryFailedMeanwhileDoesNotConfirmIt() throws Exception {
        FakeParticipants.Hold charge = participants.hold(c -> c.type().equals("payment.charge") && "u11".equals(userOf(c.orderId())));
        CompletableFuture<HttpResponse<String>> placing = place("u11", order("SKU-I", 1, "pm_card_visa"));
        UUID orderId = UUID.fromString(charge.awaitArrival().orderId());

        // recovery found no payment yet and failed the order (its own compensation is not the live saga's business)
        Lease recovery = new Lease(orderId, store.takeOver(orderId, -3600).orElseThrow().leaseEpoch());
        store.fail(recovery, "INTERRUPTED");
        charge.release();

        assertThat(placing.get(20, TimeUnit.SECONDS).statusCode()).isEqualTo(503);
        assertNothingMoreIsSent(orderId, "inventory.reserve", "payment.charge");
        assertThat(row(orderId.toString())).containsEntry("status", "FAILED").containsEntry("saga_step", "COMPENSATING");
        // hand it back to the context's recovery, which compensates it
        jdbc.update("UPDATE orders SET updated_at = now() - interval '1 hour' WHERE order_id = ?", orderId);
        awaitCompensated(orderId.toString());
        assertThat(participants.typesFor(orderId.toString())).endsWith("payment.refund", "inventory.release");
    }

    @Test
    void concurrentRequestsWithOneKeyMakeOneOrder() throws Exception {
        String key = "k-" + UUID.randomUUID();
        String body = order("SKU-F", 1, "pm_card_visa");
        ExecutorService pool = Executors.newFixedThreadPool(6);
        List<Future<HttpResponse<String>>> futures = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            futures.add(pool.submit((Callable<HttpResponse<String>>) () -> post("u8", body, key)));
        }
        List<String> ids = new ArrayList<>();
        for (Future<HttpResponse<String>> f : futures) {
            HttpResponse<String> r = f.get();
            assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
            ids.add(JSON.readTree(r.body()).get("orderId").asText());
        }
        pool.shutdown();
        assertThat(ids).containsOnly(ids.get(0));
        assertThat(participants.typesFor(ids.get(0))).containsExactly("inventory.reserve", "payment.charge", "inventory.confirm");
    }

    @Test
    void adminListsPendingOrders() throws Exception {
        insertStale("NEW", false, false, Instant.now());
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url("/admin/orders?status=PENDING")))
                .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString("operator:operator-dev-password".getBytes()))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.get("count").asLong()).isPositive();
        assertThat(body.get("orders").get(0).has("orderId")).isTrue();
        HttpResponse<String> bad = HTTP.send(HttpRequest.newBuilder(URI.create(url("/admin/orders?status=NOPE")))
                .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString("operator:operator-dev-password".getBytes()))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(bad.statusCode()).isEqualTo(400);
    }

    // --- helpers ---------------------------------------------------------------------------------------

    private CompletableFuture<HttpResponse<String>> place(String user, String body) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return post(user, body, null);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private String userOf(String orderId) {
        return jdbc.query("SELECT user_id FROM orders WHERE order_id = ?::uuid", (rs, i) -> rs.getString(1), orderId)
                .stream().findFirst().orElse(null);
    }

    /** The saga instance that was taken over stopped: over a second, no further command for the order arrives. */
    private void assertNothingMoreIsSent(UUID orderId, String... sent) {
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                .untilAsserted(() -> assertThat(participants.typesFor(orderId.toString())).containsExactly(sent));
    }

    private UUID insertStale(String step, boolean reserveStarted, boolean chargeStarted) {
        return insertStale(step, reserveStarted, chargeStarted, Instant.now().minusSeconds(60));
    }

    private UUID insertStale(String step, boolean reserveStarted, boolean chargeStarted, Instant updatedAt) {
        UUID id = UUID.randomUUID();
        jdbc.update("""
                INSERT INTO orders (order_id, user_id, request_hash, status, saga_step, reserve_started, charge_started,
                    payment_method, shipping_address, total_amount, currency, created_at, updated_at)
                VALUES (?, 'recovery', 'h', 'PENDING', ?, ?, ?, 'pm_card_visa', '{"country":"GB"}'::jsonb, 1000, 'USD', ?, ?)""",
                id, step, reserveStarted, chargeStarted, java.sql.Timestamp.from(updatedAt), java.sql.Timestamp.from(updatedAt));
        jdbc.update("INSERT INTO order_items (order_id, line_no, product_id, quantity, unit_price) VALUES (?, 0, 'SKU-R', 1, 1000)", id);
        return id;
    }

    private void awaitCompensated(String orderId) {
        await("compensation of " + orderId).atMost(Duration.ofSeconds(15))
                .untilAsserted(() -> assertThat(row(orderId)).containsEntry("saga_step", "COMPENSATED"));
    }

    private Map<String, Object> row(String orderId) {
        return jdbc.queryForMap("SELECT status, reason, saga_step FROM orders WHERE order_id = ?::uuid", orderId);
    }

}
