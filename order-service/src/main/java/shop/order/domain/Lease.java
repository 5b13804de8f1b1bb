package shop.order.domain;

import java.util.UUID;

/**
 * The fencing token a saga instance drives an order with: the live saga holds the epoch the order was accepted
 * with, recovery the one its takeover incremented to. Every write that moves the order names it
 * ({@link OrderStore}); once a newer epoch exists, the holder of an older one can change nothing.
 */
public record Lease(UUID orderId, long epoch) {

    /** The epoch of a newly accepted order: the live saga's. */
    public static final long FIRST = 0;
}
