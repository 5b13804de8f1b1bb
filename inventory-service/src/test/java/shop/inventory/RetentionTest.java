package shop.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.UUID;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;

import shop.platform.retention.Retention;

/**
 * The retention job on the real PostgreSQL (inventory_test): tombstones and refusals (RELEASED reservations
 * without lines) older than SHOP_RETENTION go; younger ones and reservations that held stock stay; a
 * retention shorter than RESERVATION_TTL is refused at start-up.
 */
class RetentionTest extends InventoryTestSupport {

    @Autowired
    Retention retention;
    @Autowired
    MeterRegistry meters;

    @Test
    void deletesOldTombstonesAndRefusalsOnly() {
        jdbc.update("INSERT INTO products (product_id, name, price_cents, currency, available) VALUES ('SKU-RET', 'x', 100, 'USD', 10)");
        UUID oldTombstone = reservation("RELEASED", null, 40, false);
        UUID oldRefusal = reservation("RELEASED", "OUT_OF_STOCK", 40, false);
        UUID youngTombstone = reservation("RELEASED", null, 29, false);
        UUID oldReleasedWithLines = reservation("RELEASED", null, 40, true);
        UUID oldConfirmed = reservation("CONFIRMED", null, 40, true);
        double before = meters.get("shop.retention.deleted").tag("table", "reservations").counter().count();

        assertThat(retention.purge()).containsEntry("reservations", 2L);

        assertThat(jdbc.queryForList("SELECT order_id FROM reservations", UUID.class))
                .containsExactlyInAnyOrder(youngTombstone, oldReleasedWithLines, oldConfirmed)
                .doesNotContain(oldTombstone, oldRefusal);
        assertThat(meters.get("shop.retention.deleted").tag("table", "reservations").counter().count() - before).isEqualTo(2.0);
    }

    @Test
    void aRetentionNotLongerThanTheReservationTtlIsRefusedAtStartUp() {
        // command-line arguments: above application.properties, as the environment variables would be
        assertThatThrownBy(() -> new SpringApplicationBuilder(InventoryApplication.class)
                .run("--shop.db.name=inventory_test", "--server.port=0", "--shop.retention.period=P10D",
                        "--shop.inventory.reservation-ttl=P11D").close())
                .satisfies(e -> {
                    StringBuilder messages = new StringBuilder();
                    for (Throwable t = e; t != null; t = t.getCause()) {
                        messages.append(t.getMessage()).append('\n');
                    }
                    assertThat(messages.toString()).contains("SHOP_RETENTION PT240H must be longer than every window")
                            .contains("RESERVATION_TTL is PT264H").doesNotContain("SHOP_REPLAY_WINDOW is");
                });
    }

    private UUID reservation(String status, String refusal, int daysOld, boolean withLines) {
        UUID orderId = UUID.randomUUID();
        UUID reservationId = UUID.randomUUID();
        jdbc.update("""
                INSERT INTO reservations (reservation_id, order_id, status, refusal, currency, total_cents, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, now() - make_interval(days => ?), now() - make_interval(days => ?))""",
                reservationId, orderId, status, refusal, withLines ? "USD" : null, withLines ? 100L : null, daysOld, daysOld);
        if (withLines) {
            jdbc.update("INSERT INTO reservation_lines (reservation_id, line_no, product_id, quantity, unit_price_cents) VALUES (?, 0, 'SKU-RET', 1, 100)",
                    reservationId);
        }
        return orderId;
    }
}
