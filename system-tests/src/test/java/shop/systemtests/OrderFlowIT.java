package shop.systemtests;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The order flow of CONTRACT.md from the outside: HTTP in, state checked in every service. */
class OrderFlowIT extends SystemTest {


    @Test
    void confirmedOrderIsPricedByTheInventoryChargedOnceAndShipped() {
        String sku = Shop.uniqueSku("CONF");
        shop.stock(sku, 1999, 10);

        HttpResponse<String> response = shop.place("alice", Shop.order("pm_card_visa", sku, 2));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        JsonNode body = Http.json(response);
        String orderId = body.get("orderId").asText();
        assertThat(body.get("status").asText()).isEqualTo("SUCCESS");
        assertThat(body.get("totalAmount").asLong()).isEqualTo(3998);
        assertThat(body.get("currency").asText()).isEqualTo("USD");
        assertThat(response.headers().firstValue("Location")).hasValue("/orders/" + orderId);

        JsonNode order = shop.orderOf("alice", orderId);
        assertThat(order.get("status").asText()).isEqualTo("CONFIRMED");
        assertThat(order.get("userId").asText()).isEqualTo("alice");
        assertThat(order.get("items").get(0).get("unitPrice").asLong()).isEqualTo(1999);
        assertThat(order.get("paymentId").isNull()).isFalse();
        assertThat(order.get("reservationId").isNull()).isFalse();

        JsonNode product = shop.product(sku);
        assertThat(product.get("available").asInt()).isEqualTo(8);
        assertThat(product.get("reserved").asInt()).isZero();

        List<Map<String, Object>> payments = shop.payments(orderId);
        assertThat(payments).hasSize(1);
        assertThat(payments.get(0)).containsEntry("status", "COMPLETED").containsEntry("amount", 3998);

        await("shipment of " + orderId).atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(shop.shipments(orderId)).hasSize(1)
                        .allSatisfy(s -> assertThat((String) s.get("trackingNumber")).isNotBlank()));
    }

    @Test
    void outOfStockIsRefusedAndChangesNoStock() {
        String sku = Shop.uniqueSku("OOS");
        shop.stock(sku, 500, 3);

        HttpResponse<String> response = shop.place("bob", Shop.order("pm_card_visa", sku, 4));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(409);
        JsonNode body = Http.json(response);
        assertThat(body.get("status").asText()).isEqualTo("FAILED");
        assertThat(body.get("reason").asText()).isEqualTo("OUT_OF_STOCK");
        String orderId = body.get("orderId").asText();
        assertThat(shop.orderOf("bob", orderId).get("status").asText()).isEqualTo("FAILED");
        assertThat(shop.product(sku).get("available").asInt()).isEqualTo(3);
        assertThat(shop.product(sku).get("reserved").asInt()).isZero();
        assertThat(shop.payments(orderId)).isEmpty();
    }

    @Test
    void declinedPaymentReleasesTheStockAndShipsNothing() {
        String sku = Shop.uniqueSku("DECL");
        shop.stock(sku, 1250, 5);

        HttpResponse<String> response = shop.place("carol", Shop.order("pm_card_chargeDeclined", sku, 2));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(402);
        JsonNode body = Http.json(response);
        assertThat(body.get("status").asText()).isEqualTo("FAILED");
        assertThat(body.get("reason").asText()).isEqualTo("PAYMENT_DECLINED");
        String orderId = body.get("orderId").asText();

        await("stock restored").atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            JsonNode product = shop.product(sku);
            assertThat(product.get("available").asInt()).isEqualTo(5);
            assertThat(product.get("reserved").asInt()).isZero();
        });
        JsonNode order = shop.orderOf("carol", orderId);
        assertThat(order.get("status").asText()).isEqualTo("FAILED");
        assertThat(order.get("reason").asText()).isEqualTo("PAYMENT_DECLINED");
        assertThat(shop.payments(orderId)).noneMatch(p -> "COMPLETED".equals(p.get("status")));
        await("no shipment").during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3))
                .untilAsserted(() -> assertThat(shop.shipments(orderId)).isEmpty());
    }

    @Test
    void unknownProductIsUnprocessable() {
        HttpResponse<String> response = shop.place("dave", Shop.order("pm_card_visa", Shop.uniqueSku("NOPE"), 1));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(422);
        JsonNode body = Http.json(response);
        assertThat(body.get("reason").asText()).isEqualTo("UNKNOWN_PRODUCT");
        assertThat(shop.orderOf("dave", body.get("orderId").asText()).get("status").asText()).isEqualTo("FAILED");
    }

    @Test
    void invalidRequestIsRejectedNamingTheFieldAndStoresNothing() {
        String sku = Shop.uniqueSku("VAL");
        shop.stock(sku, 100, 5);
        long ordersBefore = system.count("order-service", "SELECT count(*) FROM orders");

        HttpResponse<String> response = shop.place("erin", Shop.order("pm_card_visa", sku, 0));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        JsonNode body = Http.json(response);
        assertThat(body.get("status").asText()).isEqualTo("REJECTED");
        assertThat(body.get("reason").asText()).isEqualTo("VALIDATION_FAILED");
        assertThat(body.get("errors").get(0).get("field").asText()).isEqualTo("items[0].quantity");
        assertThat(system.count("order-service", "SELECT count(*) FROM orders")).isEqualTo(ordersBefore);
        assertThat(shop.product(sku).get("available").asInt()).isEqualTo(5);
    }

    @Test
    void customersNeedAValidToken() {
        String body = Http.write(Shop.order("pm_card_visa", "SKU-1", 1));
        assertThat(Http.post(system.orders.url() + "/orders", null, body, Map.of()).statusCode()).isEqualTo(401);
        String expired = Tokens.bearer(SystemUnderTest.JWT_SECRET, "mallory", Instant.now().minusSeconds(600));
        assertThat(Http.post(system.orders.url() + "/orders", expired, body, Map.of()).statusCode()).isEqualTo(401);
        String forged = Tokens.bearer("another-secret-that-is-long-enough-0123456789", "mallory", Instant.now().plusSeconds(600));
        HttpResponse<String> r = Http.post(system.orders.url() + "/orders", forged, body, Map.of());
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(Http.json(r).get("status").asText()).isEqualTo("UNAUTHORIZED");
    }

    @Test
    void anotherCustomersOrderIsNotFound() {
        String sku = Shop.uniqueSku("OWN");
        shop.stock(sku, 100, 5);
        String orderId = Http.json(shop.place("frank", Shop.order("pm_card_visa", sku, 1))).get("orderId").asText();

        HttpResponse<String> r = Http.get(system.orders.url() + "/orders/" + orderId, system.customer("grace"));

        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.body()).doesNotContain("frank");
        assertThat(shop.orderOf("frank", orderId).get("orderId").asText()).isEqualTo(orderId);
    }

    @Test
    void operatorPathsNeedOperatorCredentials() {
        List<String> operatorPaths = List.of(
                system.orders.url() + "/admin/orders?status=PENDING",
                system.inventory.url() + "/products/SKU-001",
                system.payments.url() + "/payments?orderId=00000000-0000-0000-0000-000000000000",
                system.shipping.url() + "/shipments?orderId=00000000-0000-0000-0000-000000000000",
                system.orders.url() + "/actuator/prometheus");
        for (String url : operatorPaths) {
            assertThat(Http.get(url, null).statusCode()).as(url).isEqualTo(401);
            assertThat(Http.get(url, Http.basic("operator", "wrong")).statusCode()).as(url).isEqualTo(401);
            assertThat(Http.get(url, system.customer("alice")).statusCode()).as(url).isIn(401, 403);
        }
        assertThat(Http.get(system.orders.url() + "/admin/orders?status=PENDING", SystemUnderTest.OPERATOR).statusCode()).isEqualTo(200);
        for (ServiceProcess s : List.of(system.orders, system.inventory, system.payments, system.shipping)) {
            assertThat(Http.get(s.url() + "/health", null).statusCode()).isEqualTo(200);
            assertThat(Http.get(s.url() + "/ready", null).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void sameIdempotencyKeyReturnsTheFirstOutcomeAndAnotherBodyIsRefused() {
        String sku = Shop.uniqueSku("IDEM");
        shop.stock(sku, 700, 10);
        Map<String, Object> order = Shop.order("pm_card_visa", sku, 1);

        HttpResponse<String> first = shop.place("heidi", order, "key-" + sku);
        HttpResponse<String> again = shop.place("heidi", order, "key-" + sku);

        assertThat(first.statusCode()).isEqualTo(201);
        assertThat(again.statusCode()).isEqualTo(201);
        String orderId = Http.json(first).get("orderId").asText();
        assertThat(Http.json(again).get("orderId").asText()).isEqualTo(orderId);
        assertThat(shop.product(sku).get("available").asInt()).isEqualTo(9);
        assertThat(shop.payments(orderId)).hasSize(1);

        HttpResponse<String> reused = shop.place("heidi", Shop.order("pm_card_visa", sku, 2), "key-" + sku);
        assertThat(reused.statusCode()).isEqualTo(422);
        assertThat(Http.json(reused).get("reason").asText()).isEqualTo("IDEMPOTENCY_KEY_REUSED");
        assertThat(shop.product(sku).get("available").asInt()).isEqualTo(9);
    }
}
