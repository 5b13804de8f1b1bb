package shop.order.domain;

/**
 * Where an order's saga is; written before each step is attempted, so that recovery knows what may have
 * happened at the participants (docs/saga.md).
 */
public enum SagaStep {
    NEW, RESERVING, CHARGING, CONFIRMING, DONE, COMPENSATING, COMPENSATED
}
