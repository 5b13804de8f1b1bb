package shop.inventory.reservation;

import java.util.List;
import java.util.SortedMap;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import shop.inventory.product.ProductStore;

/**
 * Gives the stock of HELD reservations whose time is up back to {@code available} and marks them EXPIRED.
 * Used by the expiry worker for a batch, and by a command that finds its reservation past its expiry before
 * the worker did, so that the answer and the stored state always agree.
 */
@Component
public class ReservationExpirer {

    private static final Logger log = LoggerFactory.getLogger(ReservationExpirer.class);

    private final ReservationStore reservations;
    private final ProductStore products;
    private final ReservationMetrics metrics;

    public ReservationExpirer(ReservationStore reservations, ProductStore products, ReservationMetrics metrics) {
        this.reservations = reservations;
        this.products = products;
        this.metrics = metrics;
    }

    /**
     * @param locked HELD reservations past their expiry, locked by the caller's transaction. Their products are
     *               locked here, all at once in product_id order (never reservation by reservation, which
     *               could deadlock against a reserve locking the same products).
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public void expire(List<Reservation> locked) {
        if (locked.isEmpty()) {
            return;
        }
        List<UUID> ids = locked.stream().map(Reservation::reservationId).toList();
        SortedMap<String, Integer> quantities = reservations.quantities(ids);
        products.lockInOrder(quantities.keySet());
        products.returnHeld(quantities);
        reservations.changeStatus(ids, ReservationStatus.HELD, ReservationStatus.EXPIRED);
        metrics.expired(locked.size());
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                locked.forEach(r -> log.info("reservation {} of order {} expired (not confirmed by {}): its stock is available again",
                        r.reservationId(), r.orderId(), r.expiresAt()));
            }
        });
    }
}
