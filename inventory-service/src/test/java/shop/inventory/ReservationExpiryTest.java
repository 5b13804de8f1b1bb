package shop.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import shop.inventory.reservation.ReservationExpiryWorker;
import shop.platform.testing.Concurrently;

/** The expiry worker: due HELD reservations give their stock back; nothing else is touched; safe in parallel. */
class ReservationExpiryTest extends InventoryTestSupport {

    @Autowired
    CamelContext camel;
    @Autowired
    MeterRegistry meters;
    @Autowired
    ReservationExpiryWorker worker;

    @Test
    void workerRouteIsRunning() {
        assertThat(camel.getRouteController().getRouteStatus("inventory-reservation-expiry")).isEqualTo(ServiceStatus.Started);
    }

    @Test
    void dueReservationIsExpiredAndItsStockReturns() {
        product("SKU-001", 1999, "USD", 10);
        product("SKU-002", 100, "USD", 10);
        UUID due = UUID.randomUUID();
        UUID notDue = UUID.randomUUID();
        UUID confirmed = UUID.randomUUID();
        reserve(due, "SKU-001", 2, "SKU-002", 1);
        reserve(notDue, "SKU-001", 3);
        reserve(confirmed, "SKU-002", 4);
        confirm(confirmed);
        double expiredBefore = expiredCount();

        expireInDatabase(due);
        jdbc.update("UPDATE reservations SET expires_at = now() - interval '1 minute' WHERE order_id = ?", confirmed);

        await().atMost(Duration.ofSeconds(10)).until(() -> "EXPIRED".equals(reservationStatus(due)));
        assertThat(stock("SKU-001")).containsExactly(7, 3);
        assertThat(stock("SKU-002")).containsExactly(6, 0);
        assertThat(reservationStatus(notDue)).isEqualTo("HELD");
        assertThat(reservationStatus(confirmed)).isEqualTo("CONFIRMED");
        await().atMost(Duration.ofSeconds(5)).until(() -> expiredCount() == expiredBefore + 1);
        assertThat(status(due)).containsEntry("status", "EXPIRED");
        assertThat(confirm(due)).containsEntry("status", "NOT_HELD").containsEntry("reservationStatus", "EXPIRED");
    }

    @Test
    void parallelWorkersExpireEachReservationOnce() throws Exception {
        product("SKU-001", 10, "USD", 1000);
        product("SKU-002", 10, "USD", 1000);
        List<UUID> orders = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            UUID orderId = UUID.randomUUID();
            orders.add(orderId);
            // lines in both orders, so batches lock overlapping products
            if (i % 2 == 0) {
                reserve(orderId, "SKU-001", 2, "SKU-002", 1);
            } else {
                reserve(orderId, "SKU-002", 2, "SKU-001", 1);
            }
        }
        assertThat(stock("SKU-001")).containsExactly(1000 - 90, 90);
        double expiredBefore = expiredCount();

        jdbc.update("UPDATE reservations SET expires_at = now() - interval '1 second'");
        List<Integer> expiredByThreads = Concurrently.run(4, i -> worker.expireDue());

        await().atMost(Duration.ofSeconds(10)).until(() -> count("reservations WHERE status = 'EXPIRED'") == orders.size());
        assertThat(expiredByThreads.stream().mapToInt(Integer::intValue).sum()).isLessThanOrEqualTo(orders.size());
        assertThat(stock("SKU-001")).containsExactly(1000, 0);
        assertThat(stock("SKU-002")).containsExactly(1000, 0);
        await().atMost(Duration.ofSeconds(5)).until(() -> expiredCount() == expiredBefore + orders.size());
    }

    private double expiredCount() {
        return meters.get("shop.inventory.reservations.expired").counter().count();
    }
}
