package shop.payment.provider;

/** A refund the provider accepted; {@code refundRef} is its id for the refund. */
public record RefundResult(String refundRef) {
}
