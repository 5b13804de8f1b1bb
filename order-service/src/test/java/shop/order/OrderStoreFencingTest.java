package shop.order;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.springframework.beans.factory.annotation.Autowired;

import shop.order.domain.FailureReason;
import shop.order.domain.Lease;
import shop.order.domain.OrderLine;
import shop.order.domain.OrderStore;
import shop.order.domain.Superseded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The fenced writes of {@link OrderStore} on the real PostgreSQL: every write that moves an order is one
 * conditional statement on its state and its epoch, so a saga instance whose lease was taken over, or that finds
 * the order moved on, changes nothing.
 */
class OrderStoreFencingTest extends OrderServiceTest {

    @Autowired
    OrderStore store;

    /** A write of the saga, and how to bring a new order (epoch 0) to the state it expects. */
    record Write(String name, Consumer<Lease> before, Consumer<Lease> write) {
    }

    static final Consumer<Lease> NOTHING = l -> { };

    List<Write> writes() {
        Consumer<Lease> reserving = store::beginReserve;
        Consumer<Lease> charging = reserving.andThen(this::reserve);
        Consumer<Lease> confirming = charging.andThen(l -> store.recordPayment(l, UUID.randomUUID()));
        Consumer<Lease> compensating = charging.andThen(l -> store.fail(l, FailureReason.PAYMENT_DECLINED));
        return List.of(
                new Write("step begun (NEW -> RESERVING)", NOTHING, store::beginReserve),
                new Write("reservation recorded (RESERVING -> CHARGING)", reserving, this::reserve),
                new Write("payment recorded (CHARGING -> CONFIRMING)", charging, l -> store.recordPayment(l, UUID.randomUUID())),
                new Write("confirm", confirming, store::confirm),
                new Write("fail", charging, l -> store.fail(l, FailureReason.SERVICE_UNAVAILABLE)),
                new Write("compensation begun", compensating, store::beginCompensation),
                new Write("refund marked done", compensating, store::markRefunded),
                new Write("release marked done", compensating, store::markReleased),
                new Write("compensation finished", compensating.andThen(store::markRefunded).andThen(store::markReleased),
                        store::finishCompensation));
    }

    @TestFactory
    Stream<DynamicTest> eachFencedWriteLosesToANewerEpochAndChangesNothing() {
        return writes().stream().map(w -> DynamicTest.dynamicTest(w.name(), () -> {
            Lease live = newOrder();
            w.before().accept(live);
            Lease recovery = takeOver(live.orderId());
            assertThat(recovery.epoch()).isEqualTo(live.epoch() + 1);
            Map<String, Object> row = row(live.orderId());
            List<Map<String, Object>> lines = lines(live.orderId());

            assertThatThrownBy(() -> w.write().accept(live)).isInstanceOfSatisfying(Superseded.class, e -> {
                assertThat(e.heldEpoch()).isEqualTo(0);
                assertThat(e.currentEpoch()).isEqualTo(1);
                assertThat(e.getMessage()).contains("order " + live.orderId() + ": superseded by epoch 1");
            });

            assertThat(row(live.orderId())).as("the row is unchanged").isEqualTo(row);
            assertThat(lines(live.orderId())).as("the lines are unchanged").isEqualTo(lines);
            // the holder of the new epoch can do it
            w.write().accept(recovery);
        }));
    }

    @Test
    void aFailedOrderCannotBeMovedToConfirmingOrConfirmed() {
        Lease lease = newOrder();
        store.beginReserve(lease);
        reserve(lease);
        store.fail(lease, FailureReason.INTERRUPTED);
        Map<String, Object> failed = row(lease.orderId());

        assertThatThrownBy(() -> store.recordPayment(lease, UUID.randomUUID())).isInstanceOf(Superseded.class);
        assertThatThrownBy(() -> store.confirm(lease)).isInstanceOf(Superseded.class);

        assertThat(row(lease.orderId())).isEqualTo(failed)
                .containsEntry("status", "FAILED").containsEntry("saga_step", "COMPENSATING").containsEntry("payment_id", null);
    }

    @Test
    void confirmAfterFailLoses() {
        Lease lease = confirming();
        store.fail(lease, FailureReason.SERVICE_UNAVAILABLE);

        assertThatThrownBy(() -> store.confirm(lease)).isInstanceOf(Superseded.class).hasMessageContaining("FAILED/COMPENSATING");
        assertThat(row(lease.orderId())).containsEntry("status", "FAILED");
    }

    @Test
    void failAfterConfirmLosesAndAConfirmedOrderIsNeverCompensated() {
        Lease lease = confirming();
        store.confirm(lease);

        assertThatThrownBy(() -> store.fail(lease, FailureReason.RESERVATION_EXPIRED)).isInstanceOf(Superseded.class);
        assertThatThrownBy(() -> store.beginCompensation(lease)).isInstanceOf(Superseded.class);
        assertThatThrownBy(() -> store.markRefunded(lease)).isInstanceOf(Superseded.class);
        assertThat(row(lease.orderId())).containsEntry("status", "CONFIRMED").containsEntry("saga_step", "DONE")
                .containsEntry("refunded", false).containsEntry("released", false);
    }

    @Test
    void aCompensationNotYetDoneLeavesTheOrderCompensating() {
        Lease lease = confirming();
        store.fail(lease, FailureReason.RESERVATION_EXPIRED);
        store.markReleased(lease);

        assertThat(store.finishCompensation(lease)).isEmpty();
        assertThat(row(lease.orderId())).containsEntry("saga_step", "COMPENSATING");

        store.markRefunded(lease);
        assertThat(store.finishCompensation(lease)).isPresent();
        assertThat(row(lease.orderId())).containsEntry("saga_step", "COMPENSATED");
    }

    @Test
    void anOrderIsTakenOverOnlyWhileStaleAndNeverOnceSettled() {
        Lease lease = newOrder();
        takeOver(lease.orderId());
        assertThat(store.takeOver(lease.orderId(), 60)).as("just taken over: not stale").isEmpty();

        Lease confirmed = confirming();
        store.confirm(confirmed);
        jdbc.update("UPDATE orders SET updated_at = now() - interval '1 hour' WHERE order_id = ?", confirmed.orderId());
        assertThat(store.takeOver(confirmed.orderId(), 60)).isEmpty();
        assertThat(store.stale(60, 1000)).doesNotContain(confirmed.orderId());
    }

    /** The context's recovery route must not pick this test's orders up afterwards (and call participants for them). */
    @AfterEach
    void settleTheOrders() {
        jdbc.update("UPDATE orders SET status = 'FAILED', saga_step = 'COMPENSATED' WHERE user_id = 'fencing' "
                + "AND (status = 'PENDING' OR saga_step = 'COMPENSATING')");
    }

    // --- helpers ---------------------------------------------------------------------------------------

    private Lease newOrder() {
        OrderStore.Accepted accepted = store.accept("fencing", null, "h", "pm_card_visa", Map.of("country", "GB"),
                List.of(new OrderLine("SKU-F1", 2, null)));
        return new Lease(accepted.orderId(), Lease.FIRST);
    }

    private Lease confirming() {
        Lease lease = newOrder();
        store.beginReserve(lease);
        reserve(lease);
        store.recordPayment(lease, UUID.randomUUID());
        return lease;
    }

    private void reserve(Lease lease) {
        store.recordReservation(lease, UUID.randomUUID(), 2000, "USD", Map.of("SKU-F1", 1000L));
    }

    /** What recovery does once the order has been silent for the stale window (here: a window of minus an hour). */
    private Lease takeOver(UUID orderId) {
        return new Lease(orderId, store.takeOver(orderId, -3600).orElseThrow().leaseEpoch());
    }

    private Map<String, Object> row(UUID orderId) {
        return jdbc.queryForMap("SELECT * FROM orders WHERE order_id = ?", orderId);
    }

    private List<Map<String, Object>> lines(UUID orderId) {
        return jdbc.queryForList("SELECT * FROM order_items WHERE order_id = ? ORDER BY line_no", orderId);
    }
}
