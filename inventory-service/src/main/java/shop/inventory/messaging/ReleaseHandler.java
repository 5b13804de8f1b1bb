package shop.inventory.messaging;

import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import shop.contracts.inventory.ReleaseReservation;
import shop.contracts.inventory.ReservationReply;
import shop.inventory.reservation.Reservation;
import shop.inventory.reservation.ReservationStatus;
import shop.inventory.reservation.ReservationStore;
import shop.inventory.reservation.ReservationTransitions;
import shop.platform.messaging.MessageChecks;

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

    private final MessageChecks checks;
    private final ReservationStore reservations;
    private final ReservationTransitions transitions;

    public ReleaseHandler(MessageChecks checks, ReservationStore reservations, ReservationTransitions transitions) {
        this.checks = checks;
        this.reservations = reservations;
        this.transitions = transitions;
    }

    @Transactional
    public ReservationReply release(ReleaseReservation command) {
        UUID orderId = checks.check(command, ReleaseReservation.TYPE).orderId();
        Optional<Reservation> found = reservations.lockByOrder(orderId);
        if (found.isEmpty()) {
            if (reservations.insertTombstone(orderId)) {
                log.info("release for order {} before any reserve: tombstone written, a later reserve will be refused", orderId);
                return ReservationReply.released(orderId);
            }
            // a reserve for this order committed in between: release that reservation
            found = reservations.lockByOrder(orderId);
            if (found.isEmpty()) {
                throw new IllegalStateException("reservation of order " + orderId + " conflicts but is not visible");
            }
        }
        Reservation reservation = found.get();
        switch (reservation.status()) {
            case HELD, CONFIRMED -> {
                SortedMap<String, Integer> quantities = transitions.move(List.of(reservation.reservationId()),
                        reservation.status(), ReservationStatus.RELEASED);
                log.info("released {} reservation {} of order {}: {} back to available", reservation.status(),
                        reservation.reservationId(), orderId, quantities);
            }
            case RELEASED, EXPIRED -> log.debug("release for order {}: reservation already {}", orderId, reservation.status());
        }
        return ReservationReply.released(orderId);
    }
}
