package shop.order.saga;

/** Who drives an order through the saga (header {@code sagaDriver}): the request that placed it, or recovery. */
public enum SagaDriver {
    /** {@code POST /orders}: the customer waits, so an unavailable participant fails the order at once (503). */
    LIVE,
    /** The recovery route, after taking a stale order over: an answer that decides nothing leaves the row for the next pass. */
    RECOVERY
}
