package shop.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import shop.platform.testing.Concurrently;

/** Many orders racing for little stock: never oversold, never deadlocked, every order answered. */
class ConcurrentReserveTest extends InventoryTestSupport {

    @Test
    void thirtyOrdersForTenUnitsReserveExactlyTen() throws Exception {
        product("SKU-HOT", 1999, "USD", 10);

        List<Map<String, Object>> replies = Concurrently.run(30, i -> reserve(UUID.randomUUID(), "SKU-HOT", 1));

        assertThat(replies).allSatisfy(r -> assertThat(r.get("status")).isIn("RESERVED", "OUT_OF_STOCK"));
        assertThat(replies.stream().filter(r -> "RESERVED".equals(r.get("status")))).hasSize(10);
        assertThat(stock("SKU-HOT")).containsExactly(0, 10);
        assertThat(count("reservations WHERE status = 'HELD'")).isEqualTo(10);
        assertThat(count("reservations WHERE refusal = 'OUT_OF_STOCK'")).isEqualTo(20);
    }

    @Test
    void twoLineOrdersInOppositeOrderDoNotDeadlock() throws Exception {
        product("SKU-A", 100, "USD", 10);
        product("SKU-B", 200, "USD", 10);

        List<Map<String, Object>> replies = Concurrently.run(30, i -> i % 2 == 0
                ? reserve(UUID.randomUUID(), "SKU-A", 1, "SKU-B", 1)
                : reserve(UUID.randomUUID(), "SKU-B", 1, "SKU-A", 1));

        assertThat(replies).allSatisfy(r -> assertThat(r.get("status")).isIn("RESERVED", "OUT_OF_STOCK"));
        assertThat(replies.stream().filter(r -> "RESERVED".equals(r.get("status")))).hasSize(10);
        assertThat(stock("SKU-A")).containsExactly(0, 10);
        assertThat(stock("SKU-B")).containsExactly(0, 10);
        assertThat(count("reservation_lines")).isEqualTo(20);
    }

    @Test
    void reservesReleasesAndConfirmsInterleavedKeepTheBooksBalanced() throws Exception {
        product("SKU-A", 100, "USD", 50);
        product("SKU-B", 200, "USD", 50);
        List<UUID> orders = java.util.stream.IntStream.range(0, 24).mapToObj(i -> UUID.randomUUID()).toList();

        Concurrently.run(orders.size(), i -> reserve(orders.get(i), i % 2 == 0 ? "SKU-A" : "SKU-B", 2,
                i % 2 == 0 ? "SKU-B" : "SKU-A", 1));
        Concurrently.run(orders.size(), i -> switch (i % 3) {
            case 0 -> release(orders.get(i));
            case 1 -> confirm(orders.get(i));
            default -> status(orders.get(i));
        });

        // 8 released, 8 confirmed (sold), 8 still held; each order took 3 units across A and B
        assertThat(count("reservations WHERE status = 'RELEASED'")).isEqualTo(8);
        assertThat(count("reservations WHERE status = 'CONFIRMED'")).isEqualTo(8);
        assertThat(count("reservations WHERE status = 'HELD'")).isEqualTo(8);
        int available = stock("SKU-A").get(0) + stock("SKU-B").get(0);
        int reserved = stock("SKU-A").get(1) + stock("SKU-B").get(1);
        assertThat(reserved).isEqualTo(8 * 3);
        assertThat(available).isEqualTo(100 - 8 * 3 - 8 * 3);
    }
}
