package shop.inventory.reservation;

/**
 * HELD: stock taken, waiting for confirm (expires after the TTL). CONFIRMED: the order is confirmed, its units
 * are sold. RELEASED: given back by a release (or a tombstone: released before anything was reserved).
 * EXPIRED: given back by the expiry worker because no confirm came in time.
 */
public enum ReservationStatus {
    HELD, CONFIRMED, RELEASED, EXPIRED
}
