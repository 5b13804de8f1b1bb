package shop.inventory.reservation;

import java.time.Instant;
import java.util.UUID;

/**
 * A reservation row. {@code due} is computed by the database clock: the reservation is HELD and its
 * {@code expires_at} has passed, so it is expired whether or not the worker has got to it yet.
 * A tombstone (released before any reserve, or a refused reserve) has no currency, total, expiry or lines;
 * a refused reserve's tombstone carries its {@code refusal} (OUT_OF_STOCK, UNKNOWN_PRODUCT, CURRENCY_MISMATCH)
 * and the product it named.
 */
public record Reservation(UUID reservationId, UUID orderId, ReservationStatus status, String currency, Long totalCents,
                          Instant expiresAt, boolean due, String refusal, String refusedProductId) {
}
