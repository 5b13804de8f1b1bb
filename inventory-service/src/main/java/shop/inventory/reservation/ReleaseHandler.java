package shop.inventory.reservation;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import shop.inventory.command.CommandValidator;
import shop.inventory.command.InventoryCommand;
import shop.inventory.product.ProductStore;

/**
 * {@code inventory.release} (bean {@code releaseHandler}): the saga's compensation of a reserve. Always answers
 * RELEASED and is idempotent. A HELD reservation gives its stock back to available; a CONFIRMED one too (its
 * order was compensated after the confirm, so its units were never shipped); RELEASED and EXPIRED ones are
 * left as they are. With no reservation at all it leaves a tombstone so that a reserve arriving late (a
 * retried or delayed message) is refused instead of holding stock that nobody will release.
 */
@Component
public class ReleaseHandler {

    private static final Logger log = LoggerFactory.getLogger(ReleaseHandler.class);

    private final CommandValidator validator;
    private final ReservationStore reservations;
    private final ProductStore products;

    public ReleaseHandler(CommandValidator validator, ReservationStore reservations, ProductStore products) {
        this.validator = validator;
        this.reservations = reservations;
        this.products = products;
    }

    @Transactional
    public Map<String, Object> release(InventoryCommand command) {
        UUID orderId = validator.orderId(command);
        Optional<Reservation> found = reservations.lockByOrder(orderId);
        if (found.isEmpty()) {
            if (reservations.insertTombstone(orderId)) {
                log.info("release for order {} before any reserve: tombstone written, a later reserve will be refused", orderId);
                return Replies.released(orderId);
            }
            // a reserve for this order committed in between: release that reservation
            found = reservations.lockByOrder(orderId);
            if (found.isEmpty()) {
                throw new IllegalStateException("reservation of order " + orderId + " conflicts but is not visible");
            }
        }
        Reservation reservation = found.get();
        switch (reservation.status()) {
            case HELD -> {
                SortedMap<String, Integer> quantities = ReservationLine.quantities(reservations.lines(reservation.reservationId()));
                products.lockInOrder(quantities.keySet());
                products.returnHeld(quantities);
                reservations.changeStatus(List.of(reservation.reservationId()), ReservationStatus.HELD, ReservationStatus.RELEASED);
                log.info("released reservation {} of order {}: {} back to available", reservation.reservationId(), orderId, quantities);
            }
            case CONFIRMED -> {
                SortedMap<String, Integer> quantities = ReservationLine.quantities(reservations.lines(reservation.reservationId()));
                products.lockInOrder(quantities.keySet());
                products.returnSold(quantities);
                reservations.changeStatus(List.of(reservation.reservationId()), ReservationStatus.CONFIRMED, ReservationStatus.RELEASED);
                log.info("released confirmed reservation {} of order {}: {} back to available", reservation.reservationId(),
                        orderId, quantities);
            }
            case RELEASED, EXPIRED -> log.debug("release for order {}: reservation already {}", orderId, reservation.status());
        }
        return Replies.released(orderId);
    }
}
