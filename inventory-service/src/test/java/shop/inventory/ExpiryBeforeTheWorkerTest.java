package shop.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.UUID;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A reservation past its TTL that the worker has not reached yet (worker route stopped here) is treated as expired
 * by every command: the answers never depend on whether the worker has run.
 */
class ExpiryBeforeTheWorkerTest extends InventoryTestSupport {

    private static final String WORKER = "inventory-reservation-expiry";

    @Autowired
    CamelContext camel;
    @Autowired
    MeterRegistry meters;

    @BeforeEach
    void stopWorker() throws Exception {
        camel.getRouteController().stopRoute(WORKER);
    }

    @AfterEach
    void startWorker() throws Exception {
        camel.getRouteController().startRoute(WORKER);
    }

    @Test
    void statusReportsExpiredWithoutChangingAnything() {
        UUID orderId = reservationPastItsTtl();

        assertThat(status(orderId)).containsEntry("status", "EXPIRED");
        assertThat(reservationStatus(orderId)).isEqualTo("HELD");
        assertThat(stock("SKU-001")).containsExactly(8, 2);
    }

    @Test
    void repeatedReserveAfterTheTtlIsRefusedAndGivesTheStockBack() {
        UUID orderId = reservationPastItsTtl();
        double expiredBefore = expired();

        assertThat(reserve(orderId, "SKU-001", 2)).isEqualTo(Map.of("status", "REFUSED", "orderId", orderId.toString(),
                "reason", "ORDER_COMPENSATED"));
        assertThat(reservationStatus(orderId)).isEqualTo("EXPIRED");
        assertThat(stock("SKU-001")).containsExactly(10, 0);
        assertThat(expired()).isEqualTo(expiredBefore + 1);
    }

    @Test
    void confirmAfterTheTtlExpiresTheReservation() {
        UUID orderId = reservationPastItsTtl();

        assertThat(confirm(orderId)).isEqualTo(Map.of("status", "NOT_HELD", "orderId", orderId.toString(),
                "reservationStatus", "EXPIRED"));
        assertThat(reservationStatus(orderId)).isEqualTo("EXPIRED");
        assertThat(stock("SKU-001")).containsExactly(10, 0);
        assertThat(reserve(orderId, "SKU-001", 2)).containsEntry("status", "REFUSED")
                .containsEntry("reason", "ORDER_COMPENSATED");
        assertThat(release(orderId)).containsEntry("status", "RELEASED");
        assertThat(stock("SKU-001")).as("the expired reservation gives nothing back twice").containsExactly(10, 0);
        assertThat(reservationStatus(orderId)).isEqualTo("EXPIRED");
    }

    @Test
    void releaseAfterTheTtlGivesTheStockBackOnce() {
        UUID orderId = reservationPastItsTtl();

        assertThat(release(orderId)).containsEntry("status", "RELEASED");
        assertThat(reservationStatus(orderId)).isEqualTo("RELEASED");
        assertThat(stock("SKU-001")).containsExactly(10, 0);
    }

    /** SKU-001 with 10 in stock, 2 of them held by a reservation whose TTL has passed. */
    private UUID reservationPastItsTtl() {
        product("SKU-001", 1999, "USD", 10);
        UUID orderId = UUID.randomUUID();
        reserve(orderId, "SKU-001", 2);
        expireInDatabase(orderId);
        return orderId;
    }

    private double expired() {
        return meters.get("shop.inventory.reservations.expired").counter().count();
    }
}
