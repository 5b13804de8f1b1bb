package shop.inventory.messaging;

import java.util.UUID;

import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import shop.contracts.inventory.GetReservation;
import shop.contracts.inventory.ReservationReply;
import shop.inventory.reservation.ReservationStatus;
import shop.inventory.reservation.ReservationStore;
import shop.platform.messaging.MessageChecks;


/**
 * {@code inventory.status} (bean {@code statusHandler}): where the order's reservation stands, for the saga's
 * recovery. Changes nothing. A HELD reservation past its expiry is reported EXPIRED - what any command would now
 * find - even if the worker has not written that yet.
 */
@Component
public class StatusHandler {

    /** The status of an order that has no reservation (nor a tombstone). */
    static final String NONE = "NONE";

    private final MessageChecks checks;
    private final ReservationStore reservations;

    public StatusHandler(MessageChecks checks, ReservationStore reservations) {
        this.checks = checks;
        this.reservations = reservations;
    }

    @Transactional(readOnly = true)
    public ReservationReply status(GetReservation command) {
        UUID orderId = checks.check(command, GetReservation.TYPE).orderId();
        return reservations.findByOrder(orderId)
                .map(r -> ReservationReply.status(orderId, r.due() ? ReservationStatus.EXPIRED.name() : r.status().name(), r.reservationId()))
                .orElseGet(() -> ReservationReply.status(orderId, NONE, null));
    }
}
