package shop.inventory.reservation;

import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Gives the stock of HELD reservations whose time is up back to {@code available} and marks them EXPIRED.
 * Used by the expiry worker for a batch, and by a command that finds its reservation past its expiry before
 * the worker did, so that the answer and the stored state always agree.
 */
@Component
public class ReservationExpirer {

    private static final Logger log = LoggerFactory.getLogger(ReservationExpirer.class);

    private final ReservationTransitions transitions;
    private final ReservationMetrics metrics;

    public ReservationExpirer(ReservationTransitions transitions, ReservationMetrics metrics) {
        this.transitions = transitions;
        this.metrics = metrics;
    }

    /** @param locked HELD reservations past their expiry, locked by the caller's transaction */
    @Transactional(propagation = Propagation.MANDATORY)
    public void expire(List<Reservation> locked) {
        if (locked.isEmpty()) {
            return;
        }
        transitions.move(locked.stream().map(Reservation::reservationId).toList(), ReservationStatus.HELD,
                ReservationStatus.EXPIRED);
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
