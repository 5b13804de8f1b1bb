package shop.systemtests;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import shop.platform.testing.LocalBroker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** At least once on the wire, exactly once in effect: outbox, inbox, dead letters and their replay. */
class MessagingIT extends SystemTest {


    @AfterEach
    void carrierBack() {
        system.carrier.answer(201);
    }

    @Test
    void carrierDownDeadLettersTheShipmentAndReplayShipsItExactlyOnce() {
        drainDeadLetters();
        String sku = Shop.uniqueSku("DLQ");
        shop.stock(sku, 900, 5);
        system.carrier.answer(503);

        HttpResponse<String> placed = shop.place("judy", Shop.order("pm_card_visa", sku, 1));
        assertThat(placed.statusCode()).as("the order does not wait for shipping").isEqualTo(201);
        String orderId = Http.json(placed).get("orderId").asText();

        await("dead-lettered").atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode dlq = deadLetters();
            assertThat(dlq.get("count").asInt()).isEqualTo(1);
            JsonNode message = dlq.get("messages").get(0);
            assertThat(message.get("orderId").asText()).isEqualTo(orderId);
            assertThat(message.get("reason").asText()).isNotBlank();
            assertThat(message.get("attempts").asInt()).isEqualTo(3);
            assertThat(message.get("failedAt").asText()).isNotBlank();
        });
        assertThat(system.carrier.callsFor(orderId)).isEqualTo(3);
        assertThat(shop.shipments(orderId)).isEmpty();
        // looking consumes nothing and counts no delivery (the message hospital; docs/adr/0014)
        for (int i = 0; i < 50; i++) {
            assertThat(deadLetters().get("count").asInt()).isEqualTo(1);
        }

        system.carrier.answer(201);
        assertThat(Http.json(replay()).get("replayed").asInt()).isEqualTo(1);
        await("shipped after replay").atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(shop.shipments(orderId)).hasSize(1));
        assertThat(deadLetters().get("count").asInt()).isZero();

        assertThat(Http.json(replay()).get("replayed").asInt()).isZero();
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                .untilAsserted(() -> assertThat(shop.shipments(orderId)).hasSize(1));
    }

    @Test
    void theSameEventTwiceShipsOnce() throws Exception {
        String orderId = UUID.randomUUID().toString();
        String messageId = UUID.randomUUID().toString();
        byte[] event = orderConfirmed(messageId, orderId);

        publish("order.confirmed", messageId, event);
        publish("order.confirmed", messageId, event);

        await("shipped").atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(shop.shipments(orderId)).hasSize(1));
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                .untilAsserted(() -> assertThat(shop.shipments(orderId)).hasSize(1));
        assertThat(system.carrier.callsFor(orderId)).isEqualTo(1);
    }

    @Test
    void garbageIsDeadLetteredAndOrdersKeepFlowing() throws Exception {
        drainDeadLetters();
        publish("order.confirmed", UUID.randomUUID().toString(), "this is not json{".getBytes(StandardCharsets.UTF_8));

        await("garbage dead-lettered").atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(deadLetters().get("count").asInt()).isEqualTo(1));
        assertThat(deadLetters().get("messages").get(0).get("attempts").asInt()).as("permanent: no retries").isEqualTo(1);

        String sku = Shop.uniqueSku("FLOW");
        shop.stock(sku, 100, 5);
        String orderId = Http.json(shop.place("ken", Shop.order("pm_card_visa", sku, 1))).get("orderId").asText();
        await("shipped").atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(shop.shipments(orderId)).hasSize(1));
        drainDeadLetters();
    }

    @Test
    void anEventCommittedButNotPublishedWhenTheServiceDiedIsPublishedAfterRestart() throws Exception {
        String orderId = UUID.randomUUID().toString();
        String messageId = UUID.randomUUID().toString();
        system.orders.kill();
        try {
            system.execute("order-service", "INSERT INTO outbox (message_id, type, payload) VALUES (?::uuid, 'order.confirmed', ?::jsonb)",
                    messageId, new String(orderConfirmed(messageId, orderId), StandardCharsets.UTF_8));
        } finally {
            system.orders.start();
            system.orders.awaitReady();
        }
        await("published and shipped").atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(shop.shipments(orderId)).hasSize(1));
        // The relay deletes the row in the transaction that published it, which commits after the broker's
        // confirm: shipping may have shipped before that commit is visible.
        await("relayed row deleted").atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                system.count("order-service", "SELECT count(*) FROM outbox WHERE message_id = ?::uuid", UUID.fromString(messageId)))
                .isZero());
    }

    @Test
    void brokerRestartWhileOrderingLosesNothing() throws Exception {
        String sku = Shop.uniqueSku("BROKER");
        shop.stock(sku, 100, 200);
        List<String> confirmed = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            confirmed.add(Http.json(shop.place("leo", Shop.order("pm_card_visa", sku, 1))).get("orderId").asText());
        }
        rabbitmqctl("stop_app");
        try {
            for (int i = 0; i < 3; i++) {
                HttpResponse<String> r = shop.place("leo", Shop.order("pm_card_visa", sku, 1));
                assertThat(r.statusCode()).as(r.body()).isIn(201, 503);
            }
        } finally {
            rabbitmqctl("start_app");
        }
        for (ServiceProcess s : List.of(system.orders, system.inventory, system.payments, system.shipping)) {
            s.awaitReady();
        }
        await("orders flow again").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            HttpResponse<String> r = shop.place("leo", Shop.order("pm_card_visa", sku, 1));
            if (r.statusCode() == 201) {
                confirmed.add(Http.json(r).get("orderId").asText());
                return true;
            }
            return false;
        });
        new Invariants(system).awaitAllSagasFinished(Duration.ofSeconds(60));
        List<String> allConfirmed = system.query("order-service",
                "SELECT order_id::text AS id FROM orders WHERE user_id = 'leo' AND status = 'CONFIRMED'").stream()
                .map(r -> (String) r.get("id")).toList();
        assertThat(allConfirmed).containsAll(confirmed);
        await("every confirmed order shipped exactly once").atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            for (String id : allConfirmed) {
                assertThat(shop.shipments(id)).as("shipments of " + id).hasSize(1);
            }
        });
        new Invariants(system).assertConsistent("leo", sku, 200);
    }

    // --- helpers ---------------------------------------------------------------------------------------

    JsonNode deadLetters() {
        HttpResponse<String> r = Http.get(system.shipping.url() + "/admin/dlq/shipments", SystemUnderTest.OPERATOR);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Http.json(r);
    }

    HttpResponse<String> replay() {
        HttpResponse<String> r = Http.post(system.shipping.url() + "/admin/dlq/shipments/replay", SystemUnderTest.OPERATOR, "", Map.of());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return r;
    }

    /** Empties the shipping dead letters: what the DLQ holds on its way in and the message hospital. */
    void drainDeadLetters() {
        SystemUnderTest.purge("shipping.order-confirmed.dlq");
        system.execute("shipping-service", "DELETE FROM dead_letters");
    }

    static byte[] orderConfirmed(String messageId, String orderId) {
        return Http.write(Map.of("messageId", messageId, "type", "order.confirmed", "occurredAt", Instant.now().toString(),
                "schemaVersion", 1, "orderId", orderId, "userId", "messaging-it",
                "items", List.of(Map.of("productId", "SKU-M", "quantity", 1, "unitPrice", 100)),
                "totalAmount", 100, "currency", "USD",
                "shippingAddress", Map.of("name", "Ada Lovelace", "line1", "1 Main St", "city", "London",
                        "postalCode", "N1 9GU", "country", "GB"))).getBytes(StandardCharsets.UTF_8);
    }

    static void publish(String routingKey, String messageId, byte[] body) throws Exception {
        LocalBroker.publishEvent(Vhosts.factory(), routingKey, messageId, body);
    }

    static void rabbitmqctl(String command) throws Exception {
        Process p = new ProcessBuilder("rabbitmqctl", "-q", command).inheritIO().start();
        assertThat(p.waitFor()).as("rabbitmqctl " + command).isZero();
    }
}
