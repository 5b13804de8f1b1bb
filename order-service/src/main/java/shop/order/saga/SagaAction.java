package shop.order.saga;

/**
 * What the order saga does next with an order (header {@code sagaNext} in {@code order-saga.yaml}), in the order
 * the route file lists the steps. Decided from the order's row, by {@link SagaDecisions}.
 */
public enum SagaAction {
    /** Step 1: reserve the stock. */
    RESERVE,
    /** Step 2: charge the payment. */
    CHARGE,
    /** Recovery of step 2: the charge's answer is unknown - ask the payment service. */
    CHECK_PAYMENT,
    /** Step 3: confirm the reservation, then the order. */
    CONFIRM,
    /** Recovery of a saga that stopped before anything was charged: fail it INTERRUPTED. */
    INTERRUPT,
    /** The order is FAILED: run the compensations its row says are due. */
    COMPENSATE,
    /** Nothing more now: the order is settled, taken over by another instance, or left for the next recovery pass. */
    STOP
}
