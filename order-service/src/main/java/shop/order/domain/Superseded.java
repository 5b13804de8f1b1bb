package shop.order.domain;

import java.util.UUID;

/**
 * A fenced write found the order not as this saga instance left it: another instance took it over (a newer
 * epoch) or it already moved on. The instance must stop: it sends no further command and compensates nothing.
 */
public class Superseded extends RuntimeException {

    private final UUID orderId;
    private final long heldEpoch;
    private final long currentEpoch;

    public Superseded(Lease held, long currentEpoch, String rowState) {
        super("order " + held.orderId() + ": superseded by epoch " + currentEpoch + " (the row is " + rowState
                + "; this saga held epoch " + held.epoch() + ")", null, false, false);
        this.orderId = held.orderId();
        this.heldEpoch = held.epoch();
        this.currentEpoch = currentEpoch;
    }

    public UUID orderId() {
        return orderId;
    }

    public long heldEpoch() {
        return heldEpoch;
    }

    public long currentEpoch() {
        return currentEpoch;
    }
}
