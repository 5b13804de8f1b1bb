package shop.systemtests;

import java.net.http.HttpResponse;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Inventory down: 503 with Retry-After, fast once the breaker is open; back up: orders flow, nothing stale held. */
class BreakerIT extends SystemTest {


    @Test
    void inventoryDownOpensTheBreakerAndStaleRequestsHoldNothing() {
        String sku = Shop.uniqueSku("BRK");
        shop.stock(sku, 100, 20);
        system.inventory.kill();
        try {
            for (int i = 0; i < 12; i++) {
                HttpResponse<String> r = shop.place("breaker", Shop.order("pm_card_visa", sku, 1));
                assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
                assertThat(r.headers().firstValue("Retry-After")).isPresent();
                JsonNode body = Http.json(r);
                assertThat(body.get("status").asText()).isEqualTo("SERVICE_UNAVAILABLE");
                assertThat(body.get("retry_after").asInt()).isPositive();
            }
            long start = System.nanoTime();
            HttpResponse<String> fast = shop.place("breaker", Shop.order("pm_card_visa", sku, 1));
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertThat(fast.statusCode()).isEqualTo(503);
            assertThat(millis).as("answer time with the breaker open").isLessThan(1000);
        } finally {
            system.inventory.start();
            system.inventory.awaitReady();
        }

        // the breaker is half-open after its wait: it closes after a few successful calls
        await("orders flow again and the breaker closes").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                .until(() -> shop.place("breaker", Shop.order("pm_card_visa", sku, 1)).statusCode() == 201
                        && Shop.breakerClosed(system.orders, "inventory"));
        new Invariants(system).awaitAllSagasFinished(Duration.ofSeconds(60));
        long confirmed = system.count("order-service", "SELECT count(*) FROM orders WHERE user_id = 'breaker' AND status = 'CONFIRMED'");
        assertThat(confirmed).isPositive();
        assertThat(shop.product(sku).get("available").asLong()).isEqualTo(20 - confirmed);
        assertThat(shop.product(sku).get("reserved").asInt()).isZero();
        assertThat(system.count("order-service",
                "SELECT count(*) FROM orders WHERE user_id = 'breaker' AND status = 'FAILED' AND reason = 'SERVICE_UNAVAILABLE'"))
                .isGreaterThanOrEqualTo(13);
    }
}
