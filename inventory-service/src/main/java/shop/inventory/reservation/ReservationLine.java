package shop.inventory.reservation;

import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/** One line of a reservation: the product, how many, and its unit price when reserved (integer cents). */
public record ReservationLine(String productId, int quantity, long unitPriceCents) {

    /** Quantities by product, in the lock order of {@code ProductStore}. */
    public static SortedMap<String, Integer> quantities(List<ReservationLine> lines) {
        SortedMap<String, Integer> byProduct = new TreeMap<>();
        lines.forEach(l -> byProduct.merge(l.productId(), l.quantity(), Integer::sum));
        return byProduct;
    }
}
