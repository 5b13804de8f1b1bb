package shop.inventory.messaging;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import shop.contracts.inventory.ConfirmReservation;
import shop.contracts.inventory.ReservationReply;
import shop.inventory.reservation.Reservation;
import shop.inventory.reservation.ReservationExpirer;
import shop.inventory.reservation.ReservationStatus;
import shop.inventory.reservation.ReservationStore;
import shop.inventory.reservation.ReservationTransitions;
import shop.platform.messaging.MessageChecks;

/**
 * {@code inventory.confirm} (bean {@code confirmHandler}): a HELD reservation within its TTL becomes CONFIRMED and
 * its units are sold (they leave {@code reserved}); the expiry worker then leaves it alone. Idempotent: confirming a
 * CONFIRMED reservation answers CONFIRMED again. A reservation past its expiry is expired here and then (as any
 * released or missing one) answered NOT_HELD with its status.
 */
@Component
public class ConfirmHandler {

    private static final Logger log = LoggerFactory.getLogger(ConfirmHandler.class);

    private final MessageChecks checks;
    private final ReservationStore reservations;
    private final ReservationTransitions transitions;
    private final ReservationExpirer expirer;

    public ConfirmHandler(MessageChecks checks, ReservationStore reservations, ReservationTransitions transitions,
                          ReservationExpirer expirer) {
        this.checks = checks;
        this.reservations = reservations;
        this.transitions = transitions;
        this.expirer = expirer;
    }

    @Transactional
    public ReservationReply confirm(ConfirmReservation command) {
        UUID orderId = checks.check(command, ConfirmReservation.TYPE).orderId();
        Optional<Reservation> found = reservations.lockByOrder(orderId);
        if (found.isEmpty()) {
            log.warn("confirm for order {}: no reservation", orderId);
            return ReservationReply.notHeld(orderId, StatusHandler.NONE);
        }
        Reservation reservation = found.get();
        if (reservation.due()) {
            expirer.expire(List.of(reservation));
            log.warn("confirm for order {} came after its reservation {} expired at {}", orderId,
                    reservation.reservationId(), reservation.expiresAt());
            return ReservationReply.notHeld(orderId, ReservationStatus.EXPIRED.name());
        }
        return switch (reservation.status()) {
            case HELD -> {
                transitions.move(List.of(reservation.reservationId()), ReservationStatus.HELD, ReservationStatus.CONFIRMED);
                log.debug("confirmed reservation {} of order {}", reservation.reservationId(), orderId);
                yield ReservationReply.confirmed(orderId, reservation.reservationId());
            }
            case CONFIRMED -> ReservationReply.confirmed(orderId, reservation.reservationId());
            case RELEASED, EXPIRED -> {
                log.warn("confirm for order {}: reservation {} is {}", orderId, reservation.reservationId(), reservation.status());
                yield ReservationReply.notHeld(orderId, reservation.status().name());
            }
        };
    }
}
