package shop.systemtests;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** What must hold after any crash, retry or race: checked across all four services. */
final class Invariants {

    private final SystemUnderTest system;
    private final Shop shop;

    Invariants(SystemUnderTest system) {
        this.system = system;
        this.shop = new Shop(system);
    }

    /** Every saga finished: nothing PENDING, no compensation left undone. */
    void awaitAllSagasFinished(Duration atMost) {
        await("every saga finished").atMost(atMost).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            JsonNode pending = Http.json(Http.get(system.orders.url() + "/admin/orders?status=PENDING", SystemUnderTest.OPERATOR));
            assertThat(pending.get("count").asLong()).as("PENDING orders").isZero();
            assertThat(system.count("order-service", "SELECT count(*) FROM orders WHERE saga_step = 'COMPENSATING'"))
                    .as("orders still compensating").isZero();
        });
    }

    /**
     * For the orders of one user on one product: each CONFIRMED order has exactly one COMPLETED payment and
     * a confirmed reservation; each FAILED order has no COMPLETED payment and holds no stock; the product's
     * available stock is the initial stock minus the confirmed quantities, and nothing stays reserved.
     */
    void assertConsistent(String userId, String sku, int initialStock) {
        List<Map<String, Object>> orders = ordersOf(userId);
        long confirmedUnits = 0;
        for (Map<String, Object> order : orders) {
            String orderId = (String) order.get("order_id");
            String status = (String) order.get("status");
            List<Map<String, Object>> payments = shop.payments(orderId);
            long completed = payments.stream().filter(p -> "COMPLETED".equals(p.get("status"))).count();
            long held = system.count("inventory-service",
                    "SELECT count(*) FROM reservations WHERE order_id = ?::uuid AND status IN ('HELD', 'CONFIRMED')", orderId);
            if ("CONFIRMED".equals(status)) {
                assertThat(completed).as("COMPLETED payments of confirmed order " + orderId).isEqualTo(1);
                assertThat(system.count("inventory-service",
                        "SELECT count(*) FROM reservations WHERE order_id = ?::uuid AND status = 'CONFIRMED'", orderId))
                        .as("confirmed reservation of " + orderId).isEqualTo(1);
                confirmedUnits += ((Number) order.get("quantity")).longValue();
            } else {
                assertThat(status).isEqualTo("FAILED");
                assertThat(completed).as("COMPLETED payments of failed order " + orderId).isZero();
                assertThat(held).as("stock held for failed order " + orderId).isZero();
            }
        }
        JsonNode product = shop.product(sku);
        assertThat(product.get("available").asLong()).as("available of " + sku).isEqualTo(initialStock - confirmedUnits);
        assertThat(product.get("reserved").asLong()).as("reserved of " + sku).isZero();
    }

    /**
     * {@link #assertConsistent} for runs with hundreds of orders: the same rules, checked with one query per
     * database instead of calls per order (payments straight from the payment service's table).
     */
    void assertConsistentInBulk(String userId, String sku, int initialStock) {
        List<Map<String, Object>> orders = ordersOf(userId);
        Object ids = orders.stream().map(o -> (String) o.get("order_id")).toArray(String[]::new);
        Map<String, String> payments = statusByOrder("payment-service", "payments", ids);
        Map<String, String> reservations = statusByOrder("inventory-service", "reservations", ids);
        long confirmedUnits = 0;
        for (Map<String, Object> order : orders) {
            String orderId = (String) order.get("order_id");
            String status = (String) order.get("status");
            if ("CONFIRMED".equals(status)) {
                assertThat(payments.get(orderId)).as("payment of confirmed order " + orderId).isEqualTo("COMPLETED");
                assertThat(reservations.get(orderId)).as("reservation of confirmed order " + orderId).isEqualTo("CONFIRMED");
                confirmedUnits += ((Number) order.get("quantity")).longValue();
            } else {
                assertThat(status).as("status of " + orderId).isEqualTo("FAILED");
                assertThat(payments.get(orderId)).as("payment of failed order " + orderId).isNotEqualTo("COMPLETED");
                assertThat(reservations.get(orderId)).as("reservation of failed order " + orderId).isNotIn("HELD", "CONFIRMED");
            }
        }
        JsonNode product = shop.product(sku);
        assertThat(product.get("available").asLong()).as("available of " + sku).isEqualTo(initialStock - confirmedUnits);
        assertThat(product.get("reserved").asLong()).as("reserved of " + sku).isZero();
    }

    /** The status of each order's row in a participant's table (one row per order: order_id is UNIQUE there). */
    private Map<String, String> statusByOrder(String service, String table, Object orderIds) {
        Map<String, String> status = new HashMap<>();
        system.query(service, "SELECT order_id::text AS id, status FROM " + table + " WHERE order_id = ANY(?::uuid[])", orderIds)
                .forEach(row -> status.put((String) row.get("id"), (String) row.get("status")));
        return status;
    }

    List<Map<String, Object>> ordersOf(String userId) {
        return system.query("order-service",
                "SELECT o.order_id::text AS order_id, o.status, i.quantity FROM orders o JOIN order_items i ON i.order_id = o.order_id "
                        + "WHERE o.user_id = ? AND i.line_no = 0", userId);
    }
}
