package shop.payment.payment;

/** A payment's state after a settlement step, and whether its order was compensated (tombstone). */
public record Settled(Payment payment, boolean cancelled) {
}
