package shop.inventory.reservation;

import java.util.Map;
import java.util.UUID;

import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import shop.inventory.command.CommandValidator;
import shop.inventory.command.InventoryCommand;

/**
 * {@code inventory.status} (bean {@code statusHandler}): where the order's reservation stands, for the saga's
 * recovery. Changes nothing. A HELD reservation past its expiry is reported EXPIRED - what any command would now
 * find - even if the worker has not written that yet.
 */
@Component
public class StatusHandler {

    private final CommandValidator validator;
    private final ReservationStore reservations;

    public StatusHandler(CommandValidator validator, ReservationStore reservations) {
        this.validator = validator;
        this.reservations = reservations;
    }

    @Transactional(readOnly = true)
    public Map<String, Object> status(InventoryCommand command) {
        UUID orderId = validator.orderId(command);
        return reservations.findByOrder(orderId)
                .map(r -> Replies.status(orderId, r.due() ? ReservationStatus.EXPIRED.name() : r.status().name(), r.reservationId()))
                .orElseGet(() -> Replies.status(orderId, "NONE", null));
    }
}
