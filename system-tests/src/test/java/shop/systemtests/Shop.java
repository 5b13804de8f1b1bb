package shop.systemtests;

import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/** The shop as its users see it: customers place orders, operators stock products and look at state. */
public final class Shop {

    private final SystemUnderTest system;

    public Shop(SystemUnderTest system) {
        this.system = system;
    }

    public static String uniqueSku(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    public void stock(String productId, long priceCents, int available) {
        HttpResponse<String> r = Http.put(system.inventory.url() + "/products/" + productId, SystemUnderTest.OPERATOR,
                Http.write(Map.of("name", "Product " + productId, "priceCents", priceCents, "currency", "USD", "available", available)));
        assertThat(r.statusCode()).as(r.body()).isIn(200, 201);
    }

    public JsonNode product(String productId) {
        HttpResponse<String> r = Http.get(system.inventory.url() + "/products/" + productId, SystemUnderTest.OPERATOR);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Http.json(r);
    }

    public static Map<String, Object> order(String paymentMethod, Object... productAndQuantity) {
        List<Map<String, Object>> items = new java.util.ArrayList<>();
        for (int i = 0; i < productAndQuantity.length; i += 2) {
            items.add(Map.of("productId", productAndQuantity[i], "quantity", productAndQuantity[i + 1]));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("items", items);
        body.put("paymentMethod", paymentMethod);
        body.put("shippingAddress", Map.of("name", "Ada Lovelace", "line1", "1 Main St", "city", "London",
                "postalCode", "N1 9GU", "country", "GB"));
        return body;
    }

    public HttpResponse<String> place(String userId, Map<String, Object> order) {
        return place(userId, order, null);
    }

    public HttpResponse<String> place(String userId, Map<String, Object> order, String idempotencyKey) {
        Map<String, String> headers = idempotencyKey == null ? Map.of() : Map.of("Idempotency-Key", idempotencyKey);
        return Http.post(system.orders.url() + "/orders", system.customer(userId), Http.write(order), headers);
    }

    public JsonNode orderOf(String userId, String orderId) {
        HttpResponse<String> r = Http.get(system.orders.url() + "/orders/" + orderId, system.customer(userId));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Http.json(r);
    }

    public List<Map<String, Object>> payments(String orderId) {
        HttpResponse<String> r = Http.get(system.payments.url() + "/payments?orderId=" + orderId, SystemUnderTest.OPERATOR);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Http.list(r);
    }

    public List<Map<String, Object>> shipments(String orderId) {
        HttpResponse<String> r = Http.get(system.shipping.url() + "/shipments?orderId=" + orderId, SystemUnderTest.OPERATOR);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Http.list(r);
    }

    /** Whether an order service's circuit breaker of that name is closed (its Prometheus gauge). */
    public static boolean breakerClosed(ServiceProcess orders, String name) {
        String metrics = Http.get(orders.url() + "/actuator/prometheus", SystemUnderTest.OPERATOR).body();
        return metrics.lines().anyMatch(l -> l.startsWith("resilience4j_circuitbreaker_state{")
                && l.contains("name=\"" + name + "\"") && l.contains("state=\"closed\"") && l.endsWith(" 1.0"));
    }

    /**
     * A breaker left half-open by an earlier scenario closes after a few successful calls: place single
     * orders of a product of its own until both breakers of this order service are closed.
     */
    public void closeBreakers(ServiceProcess orders) {
        if (breakerClosed(orders, "inventory") && breakerClosed(orders, "payment")) {
            return;
        }
        String sku = uniqueSku("WARM");
        stock(sku, 100, 1000);
        org.awaitility.Awaitility.await("breakers of " + orders.url() + " closed").atMost(java.time.Duration.ofSeconds(60))
                .pollInterval(java.time.Duration.ofMillis(500))
                .until(() -> {
                    Http.post(orders.url() + "/orders", system.customer("warm-up"), Http.write(order("pm_card_visa", sku, 1)), Map.of());
                    return breakerClosed(orders, "inventory") && breakerClosed(orders, "payment");
                });
    }
}
