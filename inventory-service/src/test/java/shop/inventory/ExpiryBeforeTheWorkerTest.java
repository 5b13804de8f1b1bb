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
        product("SKU-001", 1999, "USD", 10);
        UUID orderId = UUID.randomUUID();
        reserve(orderId, "SKU-001", 2);
        expireInDatabase(orderId);

        assertThat(status(orderId)).containsEntry("status", "EXPIRED");
        assertThat(reservationStatus(orderId)).isEqualTo("HELD");
        assertThat(stock("SKU-001")).containsExactly(8, 2);
    }

    @Test
    void repeatedReserveAfterTheTtlIsRefusedAndGivesTheStockBack() {
        product("SKU-001", 1999, "USD", 10);
        UUID orderId = UUID.randomUUID();
        reserve(orderId, "SKU-001", 2);
        expireInDatabase(orderId);
        double expiredBefore = expired();

        assertThat(reserve(orderId, "SKU-001", 2)).isEqualTo(Map.of("status", "REFUSED", "orderId", orderId.toString(),
                "reason", "ORDER_COMPENSATED"));
        assertThat(reservationStatus(orderId)).isEqualTo("EXPIRED");
        assertThat(stock("SKU-001")).containsExactly(10, 0);
        assertThat(expired()).isEqualTo(expiredBefore + 1);
    }

    @Test
    void confirmAfterTheTtlExpiresTheReservation() {
        product("SKU-001", 1999, "USD", 10);
        UUID orderId = UUID.randomUUID();
        reserve(orderId, "SKU-001", 2);
        expireInDatabase(orderId);

        assertThat(confirm(orderId)).isEqualTo(Map.of("status", "NOT_HELD", "orderId", orderId.toString(),
                "reservationStatus", "EXPIRED"));
        assertThat(reservationStatus(orderId)).isEqualTo("EXPIRED");
        assertThat(stock("SKU-001")).containsExactly(10, 0);
    }

    @Test
    void releaseAfterTheTtlGivesTheStockBackOnce() {
        product("SKU-001", 1999, "USD", 10);
        UUID orderId = UUID.randomUUID();
        reserve(orderId, "SKU-001", 2);
        expireInDatabase(orderId);

        assertThat(release(orderId)).containsEntry("status", "RELEASED");
        assertThat(reservationStatus(orderId)).isEqualTo("RELEASED");
        assertThat(stock("SKU-001")).containsExactly(10, 0);
    }

    private double expired() {
        return meters.get("shop.inventory.reservations.expired").counter().count();
    }
}
