package shop.order.domain;

import java.util.Set;

/** Why an order failed, and what that means for the customer's answer and the idempotency key. */
public final class FailureReason {

    public static final String OUT_OF_STOCK = "OUT_OF_STOCK";
    public static final String PAYMENT_DECLINED = "PAYMENT_DECLINED";
    public static final String UNKNOWN_PRODUCT = "UNKNOWN_PRODUCT";
    public static final String CURRENCY_MISMATCH = "CURRENCY_MISMATCH";
    public static final String SERVICE_UNAVAILABLE = "SERVICE_UNAVAILABLE";
    public static final String RESERVATION_EXPIRED = "RESERVATION_EXPIRED";
    /** The saga stopped part-way (crash, lost reply) and recovery compensated it. */
    public static final String INTERRUPTED = "INTERRUPTED";

    /** Failures of the system rather than of the order: the client may retry with the same key. */
    private static final Set<String> TRANSIENT = Set.of(SERVICE_UNAVAILABLE, RESERVATION_EXPIRED, INTERRUPTED);

    public static boolean isTransient(String reason) {
        return TRANSIENT.contains(reason);
    }

    /** The {@code outcome} label of {@code shop_orders_total}. */
    public static String outcome(String reason) {
        return switch (reason) {
            case OUT_OF_STOCK -> "out_of_stock";
            case PAYMENT_DECLINED -> "payment_declined";
            case UNKNOWN_PRODUCT, CURRENCY_MISMATCH -> "unknown_product";
            default -> "unavailable";
        };
    }

    private FailureReason() {
    }
}
