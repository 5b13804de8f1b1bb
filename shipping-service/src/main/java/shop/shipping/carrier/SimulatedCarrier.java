package shop.shipping.carrier;

import java.util.Locale;

import shop.contracts.order.OrderConfirmed;

/**
 * The built-in carrier used while {@code SHIPPING_CARRIER_URL} is unset: always books, and derives the
 * tracking number from the order id, so a repeated booking gives the same number as a real idempotent
 * carrier would ({@code SIM-} and the first 12 hex digits of the order id).
 */
public class SimulatedCarrier implements Carrier {

    @Override
    public String book(OrderConfirmed order, String traceparent) {
        return trackingNumber(order.orderId().toString());
    }

    static String trackingNumber(String orderId) {
        return "SIM-" + orderId.replace("-", "").substring(0, 12).toUpperCase(Locale.ROOT);
    }

    @Override
    public String name() {
        return "simulated";
    }
}
