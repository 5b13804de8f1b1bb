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
 * {@code inventory.confirm} (bean {@code confirmHandler}): a HELD reservation within its TTL becomes CONFIRMED and
 * its units are sold (they leave {@code reserved}); the expiry worker then leaves it alone. Idempotent: confirming a
 * CONFIRMED reservation answers CONFIRMED again. A reservation past its expiry is expired here and then (as any
 * released or missing one) answered NOT_HELD with its status.
 */
@Component
public class ConfirmHandler {

    private static final Logger log = LoggerFactory.getLogger(ConfirmHandler.class);

    private final CommandValidator validator;
    private final ReservationStore reservations;
    private final ProductStore products;
    private final ReservationExpirer expirer;

    public ConfirmHandler(CommandValidator validator, ReservationStore reservations, ProductStore products,
                          ReservationExpirer expirer) {
        this.validator = validator;
        this.reservations = reservations;
        this.products = products;
        this.expirer = expirer;
    }

    @Transactional
    public Map<String, Object> confirm(InventoryCommand command) {
        UUID orderId = validator.orderId(command);
        Optional<Reservation> found = reservations.lockByOrder(orderId);
        if (found.isEmpty()) {
            log.warn("confirm for order {}: no reservation", orderId);
            return Replies.notHeld(orderId, "NONE");
        }
        Reservation reservation = found.get();
        if (reservation.due()) {
            expirer.expire(List.of(reservation));
            log.warn("confirm for order {} came after its reservation {} expired at {}", orderId,
                    reservation.reservationId(), reservation.expiresAt());
            return Replies.notHeld(orderId, ReservationStatus.EXPIRED.name());
        }
        return switch (reservation.status()) {
            case HELD -> {
                SortedMap<String, Integer> quantities = ReservationLine.quantities(reservations.lines(reservation.reservationId()));
                products.lockInOrder(quantities.keySet());
                products.sellHeld(quantities);
                reservations.changeStatus(List.of(reservation.reservationId()), ReservationStatus.HELD, ReservationStatus.CONFIRMED);
                log.info("confirmed reservation {} of order {}", reservation.reservationId(), orderId);
                yield Replies.confirmed(reservation);
            }
            case CONFIRMED -> Replies.confirmed(reservation);
            case RELEASED, EXPIRED -> {
                log.warn("confirm for order {}: reservation {} is {}", orderId, reservation.reservationId(), reservation.status());
                yield Replies.notHeld(orderId, reservation.status().name());
            }
        };
    }
}
