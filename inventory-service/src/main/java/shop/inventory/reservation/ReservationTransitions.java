package shop.inventory.reservation;

import java.util.Collection;
import java.util.SortedMap;
import java.util.UUID;

import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

import shop.inventory.product.ProductStore;

/**
 * Moves locked reservations from one status to another and their stock with them - the one way a confirm, a
 * release and the expiry worker change a reservation that holds stock.
 */
@Component
public class ReservationTransitions {

    private final ReservationStore reservations;
    private final ProductStore products;

    public ReservationTransitions(ReservationStore reservations, ProductStore products) {
        this.reservations = reservations;
        this.products = products;
    }

    /**
     * HELD to CONFIRMED sells the units (they leave {@code reserved}); HELD to RELEASED or EXPIRED gives them back
     * to {@code available}; CONFIRMED to RELEASED (an order compensated after its confirm) returns the sold units.
     * The products are locked here, all at once in product_id order (never reservation by reservation, which could
     * deadlock against a reserve locking the same products).
     *
     * @param locked reservations in status {@code from}, locked by the caller's transaction
     * @return the quantities moved, by product
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public SortedMap<String, Integer> move(Collection<UUID> locked, ReservationStatus from, ReservationStatus to) {
        SortedMap<String, Integer> quantities = reservations.quantities(locked);
        products.lockInOrder(quantities.keySet());
        if (from == ReservationStatus.HELD && to == ReservationStatus.CONFIRMED) {
            products.sellHeld(quantities);
        } else if (from == ReservationStatus.HELD && (to == ReservationStatus.RELEASED || to == ReservationStatus.EXPIRED)) {
            products.returnHeld(quantities);
        } else if (from == ReservationStatus.CONFIRMED && to == ReservationStatus.RELEASED) {
            products.returnSold(quantities);
        } else {
            throw new IllegalArgumentException("a reservation does not go from " + from + " to " + to);
        }
        reservations.changeStatus(locked, from, to);
        return quantities;
    }
}
