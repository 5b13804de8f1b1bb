package shop.order.saga;

/** A saga step decided the order fails (its reason is already recorded); Camel's Saga EIP then compensates. */
public class SagaFailure extends RuntimeException {

    private final String reason;

    public SagaFailure(String orderId, String reason) {
        super("order " + orderId + " failed: " + reason, null, false, false);
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }
}
