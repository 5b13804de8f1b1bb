package shop.payment.payment;

/** A payment's life: PENDING (intent recorded, provider outcome not known yet) -> COMPLETED or FAILED; COMPLETED -> REFUNDED. */
public enum PaymentStatus {
    PENDING, COMPLETED, FAILED, REFUNDED
}
