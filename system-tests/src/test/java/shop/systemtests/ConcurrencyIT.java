package shop.systemtests;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import shop.platform.testing.Concurrently;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Many customers at once: pessimistic locks in a fixed order, no oversell, no deadlock, one effect per key. */
class ConcurrencyIT extends SystemTest {


    @Test
    void hundredTwentyTwoLineOrdersOnFortyUnitsConfirmExactlyForty() throws Exception {
        String scarce = Shop.uniqueSku("SCARCE");
        String plenty = Shop.uniqueSku("PLENTY");
        shop.stock(scarce, 1000, 40);
        shop.stock(plenty, 250, 1000);

        List<HttpResponse<String>> responses = Concurrently.run(120, i -> i % 2 == 0
                ? shop.place("crowd", Shop.order("pm_card_visa", scarce, 1, plenty, 1))
                : shop.place("crowd", Shop.order("pm_card_visa", plenty, 1, scarce, 1)));

        long confirmed = responses.stream().filter(r -> r.statusCode() == 201).count();
        long outOfStock = responses.stream().filter(r -> r.statusCode() == 409).count();
        assertThat(responses).allSatisfy(r -> assertThat(r.statusCode()).as(r.body()).isIn(201, 409));
        assertThat(confirmed).isEqualTo(40);
        assertThat(outOfStock).isEqualTo(80);
        await("compensations done").atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(shop.product(scarce).get("available").asInt()).isZero();
            assertThat(shop.product(scarce).get("reserved").asInt()).isZero();
            assertThat(shop.product(plenty).get("available").asInt()).isEqualTo(960);
            assertThat(shop.product(plenty).get("reserved").asInt()).isZero();
        });
    }

    @Test
    void concurrentRequestsWithOneKeyPlaceOneOrderChargedOnce() throws Exception {
        String sku = Shop.uniqueSku("ONEKEY");
        shop.stock(sku, 300, 50);
        Map<String, Object> order = Shop.order("pm_card_visa", sku, 3);
        String key = "key-" + sku;

        List<HttpResponse<String>> responses = Concurrently.run(12, i -> shop.place("ivan", order, key));

        assertThat(responses).allSatisfy(r -> assertThat(r.statusCode()).as(r.body()).isEqualTo(201));
        List<String> ids = responses.stream().map(r -> Http.json(r).get("orderId").asText()).distinct().toList();
        assertThat(ids).hasSize(1);
        assertThat(shop.payments(ids.get(0))).hasSize(1);
        assertThat(system.count("inventory-service", "SELECT count(*) FROM reservations WHERE order_id = ?::uuid", ids.get(0))).isEqualTo(1);
        assertThat(shop.product(sku).get("available").asInt()).isEqualTo(47);
        assertThat(system.count("order-service", "SELECT count(*) FROM orders WHERE user_id = 'ivan'")).isEqualTo(1);
    }
}
