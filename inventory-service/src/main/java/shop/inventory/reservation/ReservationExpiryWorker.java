package shop.inventory.reservation;

import java.util.List;

import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import shop.inventory.config.InventoryProperties;

/**
 * The expiry worker (bean {@code reservationExpiryWorker}, run by route {@code inventory-reservation-expiry}): expires
 * due reservations in batches, one transaction per batch. Batches are claimed with {@code FOR UPDATE SKIP LOCKED},
 * so several instances share the work without waiting on each other, and a reservation being confirmed or
 * released at that moment is left to that command.
 */
@Component
public class ReservationExpiryWorker {

    private final ReservationStore reservations;
    private final ReservationExpirer expirer;
    private final TransactionTemplate transaction;
    private final int batchSize;
    private final int maxBatches;

    public ReservationExpiryWorker(ReservationStore reservations, ReservationExpirer expirer,
                                   PlatformTransactionManager transactions, InventoryProperties properties) {
        this.reservations = reservations;
        this.expirer = expirer;
        this.transaction = new TransactionTemplate(transactions);
        this.batchSize = properties.expiry().batchSize();
        this.maxBatches = properties.expiry().maxBatchesPerRun();
    }

    /** Expires what is due, up to {@code max-batches-per-run} batches; returns how many reservations expired. */
    public int expireDue() {
        int total = 0;
        for (int batch = 0; batch < maxBatches; batch++) {
            Integer expired = transaction.execute(status -> {
                List<Reservation> due = reservations.lockDue(batchSize);
                expirer.expire(due);
                return due.size();
            });
            total += expired == null ? 0 : expired;
            if (expired == null || expired < batchSize) {
                break;
            }
        }
        return total;
    }
}
