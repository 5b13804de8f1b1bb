package shop.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;

import shop.platform.testing.Concurrently;

/** inventory.reserve: prices from the catalogue, all lines or none, idempotent by orderId. */
class ReserveCommandTest extends InventoryTestSupport {

    @Test
    void reservesAtTheCataloguePricesAndAnswersTheTotal() {
        product("SKU-001", 1999, "USD", 10);
        product("SKU-002", 500, "USD", 3);
        UUID orderId = UUID.randomUUID();

        Map<String, Object> reply = reserve(orderId, "SKU-001", 2, "SKU-002", 3);

        assertThat(reply).containsEntry("status", "RESERVED").containsEntry("orderId", orderId.toString())
                .containsEntry("currency", "USD").containsEntry("totalAmount", 2 * 1999 + 3 * 500);
        assertThat(reply.get("items")).isEqualTo(List.of(
                Map.of("productId", "SKU-001", "quantity", 2, "unitPrice", 1999),
                Map.of("productId", "SKU-002", "quantity", 3, "unitPrice", 500)));
        Map<String, Object> row = reservationRow(orderId);
        assertThat(row).containsEntry("status", "HELD").containsEntry("total_cents", 5498L);
        assertThat(row.get("reservation_id")).hasToString((String) reply.get("reservationId"));
        assertThat(stock("SKU-001")).containsExactly(8, 2);
        assertThat(stock("SKU-002")).containsExactly(0, 3);
        assertThat(count("reservation_lines")).isEqualTo(2);
    }

    @Test
    void reservationExpiresAfterTheConfiguredTtl() {
        product("SKU-001", 100, "EUR", 1);
        UUID orderId = UUID.randomUUID();
        reserve(orderId, "SKU-001", 1);

        Map<String, Object> row = reservationRow(orderId);
        Duration ttl = Duration.between(((java.sql.Timestamp) row.get("created_at")).toInstant(),
                ((java.sql.Timestamp) row.get("expires_at")).toInstant());
        assertThat(ttl).isEqualTo(Duration.ofMinutes(15));
    }

    @Test
    void outOfStockLeavesStockUnchanged() {
        product("SKU-001", 1999, "USD", 1);
        UUID orderId = UUID.randomUUID();

        Map<String, Object> refused = reserve(orderId, "SKU-001", 2);

        assertThat(refused).isEqualTo(Map.of("status", "OUT_OF_STOCK", "orderId", orderId.toString(), "productId", "SKU-001"));
        assertThat(stock("SKU-001")).containsExactly(1, 0);
        assertThat(reservationRow(orderId)).containsEntry("status", "RELEASED").containsEntry("refusal", "OUT_OF_STOCK");
        assertThat(count("reservation_lines")).isZero();
    }

    @Test
    void refusedReserveAnswersTheSameWhenRepeatedEvenAfterARestock() {
        product("SKU-001", 1999, "USD", 1);
        UUID orderId = UUID.randomUUID();
        Map<String, Object> refused = reserve(orderId, "SKU-001", 2);

        jdbc.update("UPDATE products SET available = 100 WHERE product_id = 'SKU-001'");

        assertThat(reserve(orderId, "SKU-001", 2)).as("a duplicate of the refused reserve").isEqualTo(refused);
        assertThat(stock("SKU-001")).containsExactly(100, 0);
        assertThat(status(orderId)).containsEntry("status", "RELEASED");
        assertThat(confirm(orderId)).containsEntry("status", "NOT_HELD").containsEntry("reservationStatus", "RELEASED");
        assertThat(release(orderId)).containsEntry("status", "RELEASED");
        assertThat(stock("SKU-001")).containsExactly(100, 0);
        assertThat(reserve(UUID.randomUUID(), "SKU-001", 2)).as("another order").containsEntry("status", "RESERVED");
    }

    @Test
    void unknownProductIsNamed() {
        product("SKU-001", 1999, "USD", 5);
        UUID orderId = UUID.randomUUID();

        Map<String, Object> refused = reserve(orderId, "SKU-001", 1, "NOPE-404", 1);

        assertThat(refused).isEqualTo(Map.of("status", "UNKNOWN_PRODUCT", "orderId", orderId.toString(), "productId", "NOPE-404"));
        assertThat(stock("SKU-001")).containsExactly(5, 0);
        assertThat(count("reservations WHERE status = 'HELD'")).isZero();
        product("NOPE-404", 1, "USD", 5);
        assertThat(reserve(orderId, "SKU-001", 1, "NOPE-404", 1)).isEqualTo(refused);
    }

    @Test
    void oneShortLineReservesNothing() {
        product("SKU-A", 100, "USD", 10);
        product("SKU-B", 200, "USD", 10);
        product("SKU-C", 300, "USD", 1);
        UUID orderId = UUID.randomUUID();

        assertThat(reserve(orderId, "SKU-A", 5, "SKU-B", 5, "SKU-C", 2))
                .containsEntry("status", "OUT_OF_STOCK").containsEntry("productId", "SKU-C");
        assertThat(stock("SKU-A")).containsExactly(10, 0);
        assertThat(stock("SKU-B")).containsExactly(10, 0);
        assertThat(stock("SKU-C")).containsExactly(1, 0);
        assertThat(count("reservations WHERE status = 'HELD'")).isZero();
        assertThat(count("reservation_lines")).isZero();

        // once there is stock, another order gets all three lines
        jdbc.update("UPDATE products SET available = 2 WHERE product_id = 'SKU-C'");
        assertThat(reserve(UUID.randomUUID(), "SKU-A", 5, "SKU-B", 5, "SKU-C", 2)).containsEntry("status", "RESERVED")
                .containsEntry("totalAmount", 5 * 100 + 5 * 200 + 2 * 300);
    }

    @Test
    void productsInDifferentCurrenciesAreRefused() {
        product("SKU-USD", 100, "USD", 10);
        product("SKU-EUR", 100, "EUR", 10);
        UUID orderId = UUID.randomUUID();

        assertThat(reserve(orderId, "SKU-USD", 1, "SKU-EUR", 1))
                .isEqualTo(Map.of("status", "CURRENCY_MISMATCH", "orderId", orderId.toString()));
        assertThat(stock("SKU-USD")).containsExactly(10, 0);
        assertThat(stock("SKU-EUR")).containsExactly(10, 0);
        assertThat(count("reservations WHERE status = 'HELD'")).isZero();
    }

    @Test
    void repeatedReserveAnswersTheSameAndReservesOnce() {
        product("SKU-001", 1999, "USD", 10);
        UUID orderId = UUID.randomUUID();

        Map<String, Object> first = reserve(orderId, "SKU-001", 3);
        jdbc.update("UPDATE products SET price_cents = 2500 WHERE product_id = 'SKU-001'");
        Map<String, Object> second = reserve(orderId, "SKU-001", 3);

        assertThat(first).containsEntry("status", "RESERVED");
        assertThat(second).as("the repeat answers the first reservation, at its prices").isEqualTo(first);
        assertThat(stock("SKU-001")).containsExactly(7, 3);
        assertThat(count("reservations")).isEqualTo(1);
    }

    @Test
    void concurrentCopiesOfOneReserveHoldStockOnce() throws Exception {
        product("SKU-001", 1000, "USD", 100);
        product("SKU-002", 10, "USD", 100);
        UUID orderId = UUID.randomUUID();

        List<Map<String, Object>> replies = Concurrently.run(8, i -> reserve(orderId, "SKU-001", 5, "SKU-002", 1));

        assertThat(replies).allSatisfy(r -> assertThat(r).containsEntry("status", "RESERVED"));
        assertThat(replies.stream().map(r -> r.get("reservationId")).distinct()).hasSize(1);
        assertThat(stock("SKU-001")).containsExactly(95, 5);
        assertThat(stock("SKU-002")).containsExactly(99, 1);
        assertThat(count("reservations")).isEqualTo(1);
        assertThat(count("reservation_lines")).isEqualTo(2);
    }

    @Test
    void fieldsAddedByANewerProducerAreIgnored() {
        product("SKU-001", 1999, "USD", 10);
        UUID orderId = UUID.randomUUID();

        Map<String, Object> reply = command("inventory.reserve", Map.of("orderId", orderId.toString(),
                "items", List.of(Map.of("productId", "SKU-001", "quantity", 1, "giftWrapped", true)), "addedByANewerProducer", true));

        assertThat(reply).containsEntry("status", "RESERVED").containsEntry("totalAmount", 1999);
        assertThat(stock("SKU-001")).containsExactly(9, 1);
    }

    @Test
    void replyIsJsonEvenWhenTheRequestDeclaresNoContentType() throws Exception {
        product("SKU-001", 1999, "USD", 10);
        UUID orderId = UUID.randomUUID();
        MessageProperties properties = new MessageProperties();
        properties.setHeader("deadline", System.currentTimeMillis() + 10_000);
        byte[] body = json.writeValueAsBytes(Map.of("orderId", orderId.toString(),
                "items", List.of(Map.of("productId", "SKU-001", "quantity", 1))));

        Message reply = rabbit.sendAndReceive("shop.commands", "inventory.reserve", new Message(body, properties));

        assertThat(reply).isNotNull();
        assertThat(reply.getMessageProperties().getContentType()).isEqualTo("application/json");
        assertThat(json.readValue(reply.getBody(), JSON_OBJECT)).containsEntry("status", "RESERVED");
        assertThat(reply.getMessageProperties().getHeaders()).doesNotContainKey("commandType");
        // the reply carries its own properties, not the request's headers (the same reply steps as payment-commands)
        assertThat(reply.getMessageProperties().getHeaders()).doesNotContainKey("deadline");
    }

    @Test
    void reservationTimesComeFromTheDatabaseClock() {
        product("SKU-001", 1, "USD", 1);
        UUID orderId = UUID.randomUUID();
        reserve(orderId, "SKU-001", 1);
        OffsetDateTime expires = jdbc.queryForObject("SELECT expires_at FROM reservations WHERE order_id = ?",
                OffsetDateTime.class, orderId);
        assertThat(expires).isAfter(OffsetDateTime.now().plusMinutes(14));
    }
}
