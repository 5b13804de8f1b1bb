package shop.order;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import shop.order.saga.StalePendingOrders;

import static org.assertj.core.api.Assertions.assertThat;

/** shop_orders_pending_stale counts orders PENDING past the recovery window, and only those. */
class StalePendingOrdersTest extends OrderServiceTest {

    @Autowired
    StalePendingOrders stale;

    @Test
    void anOrderPendingPastTheRecoveryWindowIsCountedAndAFreshOneIsNot() throws Exception {
        double before = stale.refresh();
        UUID stuck = UUID.randomUUID();
        UUID fresh = UUID.randomUUID();
        // updated_at in the future: the recovery route (stale after 2 s here) leaves both rows alone during the test;
        // the fresh one is dated ahead too, so that it stays inside the 2 s window however slow the test runs
        insertPending(stuck, "now() - interval '1 hour'");
        insertPending(fresh, "now() + interval '10 minutes'");
        try {
            assertThat(stale.refresh()).isEqualTo(before + 1);

            HttpResponse<String> metrics = HTTP.send(HttpRequest.newBuilder(URI.create(url("/actuator/prometheus")))
                    .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                            "viewer:viewer-dev-password".getBytes(StandardCharsets.UTF_8))).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.body()).containsPattern("(?m)^shop_orders_pending_stale\\{service=\"order-service\"} " + (before + 1));

            jdbc.update("UPDATE orders SET status = 'FAILED', reason = 'TEST', saga_step = 'COMPENSATED' WHERE order_id = ?", stuck);
            assertThat(stale.refresh()).as("settled: no longer counted").isEqualTo(before);
        } finally {
            jdbc.update("UPDATE orders SET status = 'FAILED', reason = 'TEST', saga_step = 'COMPENSATED' WHERE order_id IN (?, ?)", stuck, fresh);
        }
    }

    private void insertPending(UUID orderId, String createdAt) {
        jdbc.update("INSERT INTO orders (order_id, user_id, request_hash, status, saga_step, payment_method, shipping_address, "
                + "created_at, updated_at) VALUES (?, 'stale-test', 'h', 'PENDING', 'NEW', 'pm_card_visa', '{}'::jsonb, "
                + createdAt + ", now() + interval '1 hour')", orderId);
    }
}
