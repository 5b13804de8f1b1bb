package shop.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import shop.platform.testing.Concurrently;

/** inventory.release, inventory.confirm and inventory.status: idempotent by orderId, tombstones (expiry: ExpiryBeforeTheWorkerTest). */
class ReleaseConfirmStatusCommandTest extends InventoryTestSupport {

    @Test
    void releaseReturnsStockAndIsIdempotent() {
        product("SKU-001", 1999, "USD", 10);
        product("SKU-002", 100, "USD", 10);
        UUID orderId = UUID.randomUUID();
        reserve(orderId, "SKU-001", 4, "SKU-002", 1);
        assertThat(stock("SKU-001")).containsExactly(6, 4);

        assertThat(release(orderId)).isEqualTo(Map.of("status", "RELEASED", "orderId", orderId.toString()));
        assertThat(stock("SKU-001")).containsExactly(10, 0);
        assertThat(stock("SKU-002")).containsExactly(10, 0);
        assertThat(reservationStatus(orderId)).isEqualTo("RELEASED");

        assertThat(release(orderId)).isEqualTo(Map.of("status", "RELEASED", "orderId", orderId.toString()));
        assertThat(stock("SKU-001")).as("a repeated release gives nothing back twice").containsExactly(10, 0);
        assertThat(status(orderId)).containsEntry("status", "RELEASED");
    }

    @Test
    void concurrentReleasesReturnStockOnce() throws Exception {
        product("SKU-001", 1999, "USD", 10);
        UUID orderId = UUID.randomUUID();
        reserve(orderId, "SKU-001", 4);

        assertThat(Concurrently.run(6, i -> release(orderId)))
                .allSatisfy(r -> assertThat(r).containsEntry("status", "RELEASED"));
        assertThat(stock("SKU-001")).containsExactly(10, 0);
    }

    @Test
    void releaseBeforeReserveLeavesATombstoneThatRefusesTheReserve() {
        product("SKU-001", 1999, "USD", 10);
        UUID orderId = UUID.randomUUID();

        assertThat(release(orderId)).isEqualTo(Map.of("status", "RELEASED", "orderId", orderId.toString()));
        assertThat(reservationStatus(orderId)).isEqualTo("RELEASED");
        assertThat(count("reservation_lines")).isZero();

        assertThat(reserve(orderId, "SKU-001", 1)).isEqualTo(Map.of(
                "status", "REFUSED", "orderId", orderId.toString(), "reason", "ORDER_COMPENSATED"));
        assertThat(stock("SKU-001")).containsExactly(10, 0);
        assertThat(confirm(orderId)).isEqualTo(Map.of(
                "status", "NOT_HELD", "orderId", orderId.toString(), "reservationStatus", "RELEASED"));
    }

    @Test
    void reserveAfterReleaseIsRefused() {
        product("SKU-001", 1999, "USD", 10);
        UUID orderId = UUID.randomUUID();
        reserve(orderId, "SKU-001", 2);
        release(orderId);

        assertThat(reserve(orderId, "SKU-001", 2)).containsEntry("status", "REFUSED").containsEntry("reason", "ORDER_COMPENSATED");
        assertThat(stock("SKU-001")).containsExactly(10, 0);
    }

    @Test
    void confirmSellsTheHeldUnitsAndIsIdempotent() {
        product("SKU-001", 1999, "USD", 10);
        UUID orderId = UUID.randomUUID();
        Map<String, Object> reserved = reserve(orderId, "SKU-001", 3);

        Map<String, Object> confirmed = confirm(orderId);
        assertThat(confirmed).isEqualTo(Map.of("status", "CONFIRMED", "orderId", orderId.toString(),
                "reservationId", reserved.get("reservationId")));
        assertThat(reservationStatus(orderId)).isEqualTo("CONFIRMED");
        assertThat(stock("SKU-001")).as("sold units leave reserved").containsExactly(7, 0);

        assertThat(confirm(orderId)).isEqualTo(confirmed);
        assertThat(stock("SKU-001")).containsExactly(7, 0);
        assertThat(reserve(orderId, "SKU-001", 3)).as("a late repeat of the reserve answers the reservation")
                .isEqualTo(reserved);
        assertThat(status(orderId)).isEqualTo(Map.of("status", "CONFIRMED", "orderId", orderId.toString(),
                "reservationId", reserved.get("reservationId")));
    }

    @Test
    void releaseOfAConfirmedReservationReturnsItsStock() {
        product("SKU-001", 1999, "USD", 10);
        UUID orderId = UUID.randomUUID();
        reserve(orderId, "SKU-001", 3);
        confirm(orderId);

        assertThat(release(orderId)).containsEntry("status", "RELEASED");
        assertThat(stock("SKU-001")).containsExactly(10, 0);
        assertThat(reservationStatus(orderId)).isEqualTo("RELEASED");
        assertThat(confirm(orderId)).containsEntry("status", "NOT_HELD").containsEntry("reservationStatus", "RELEASED");
    }

    @Test
    void confirmWithoutReservation() {
        UUID orderId = UUID.randomUUID();
        assertThat(confirm(orderId)).isEqualTo(Map.of("status", "NOT_HELD", "orderId", orderId.toString(),
                "reservationStatus", "NONE"));
        assertThat(count("reservations")).isZero();
    }

    @Test
    void statusFollowsTheReservation() {
        product("SKU-001", 1999, "USD", 10);
        UUID orderId = UUID.randomUUID();
        assertThat(status(orderId)).as("no reservationId at all, not null")
                .isEqualTo(Map.of("status", "NONE", "orderId", orderId.toString()));

        String reservationId = (String) reserve(orderId, "SKU-001", 1).get("reservationId");
        assertThat(status(orderId)).isEqualTo(Map.of("status", "HELD", "orderId", orderId.toString(),
                "reservationId", reservationId));
        assertThat(count("reservations")).isEqualTo(1);
    }
}
