package shop.order.saga;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.apache.camel.Exchange;
import org.apache.camel.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import shop.order.domain.Order;
import shop.order.domain.OrderStore;

/**
 * Takes over sagas that stopped part-way (process killed or paused, reply lost, compensation not done)
 * ({@code routes/order-service/saga-recovery.yaml}, docs/saga.md). Each takeover increments the order's epoch,
 * which fences off whoever drove it until then; the order saga then goes on from the row with the new epoch.
 */
@Component("sagaRecovery")
public class SagaRecovery {

    private static final Logger log = LoggerFactory.getLogger(SagaRecovery.class);
    private static final int BATCH = 50;

    private final OrderStore orders;
    private final int staleSeconds;

    public SagaRecovery(OrderStore orders, @Value("${shop.saga.stale-after-seconds}") int staleSeconds) {
        this.orders = orders;
        this.staleSeconds = staleSeconds;
    }

    /** The stale orders of this pass, oldest first; each is taken over only when its turn comes. */
    public List<String> candidates() {
        List<String> ids = orders.stale(staleSeconds, BATCH).stream().map(UUID::toString).toList();
        if (!ids.isEmpty()) {
            log.warn("recovering {} saga(s) that stopped part-way: {}", ids.size(), ids);
        }
        return ids;
    }

    /**
     * Takes the order over (a new epoch) if it is still stale, and sets the saga's headers: its epoch, the driver
     * RECOVERY and the next action decided from the row. {@link SagaAction#STOP} when another instance (or the
     * saga itself) touched it first.
     */
    public void takeOver(@Header(OrderSaga.ORDER_ID) String orderId, Exchange exchange) {
        var in = exchange.getIn();
        in.setHeader(OrderSaga.DRIVER, SagaDriver.RECOVERY);
        Optional<Order> taken = orders.takeOver(UUID.fromString(orderId), staleSeconds);
        if (taken.isEmpty()) {
            log.info("order {}: no longer stale, left to whoever moved it", orderId);
            in.setHeader(OrderSaga.NEXT, SagaAction.STOP);
            return;
        }
        Order row = taken.get();
        SagaAction next = SagaDecisions.resume(row);
        log.info("recovering order {} at epoch {}: {}/{} -> {}", orderId, row.leaseEpoch(), row.status(), row.sagaStep(), next);
        in.setHeader(OrderSaga.EPOCH, row.leaseEpoch());
        in.setHeader(OrderSaga.NEXT, next);
        exchange.setProperty(OrderSaga.ROW, row);
    }
}
