package shop.shipping.carrier;

import shop.contracts.order.OrderConfirmed;

/**
 * Bean {@code carrier}: books the transport of a confirmed order and returns its tracking number.
 * Booking is idempotent per order (the carrier sees the order id as idempotency key), so a retried or
 * replayed booking returns the first one's tracking number.
 *
 * <p>Failures: {@link CarrierUnavailableException} is transient (retried with backoff by the
 * {@code message-consumer} route configuration); {@link shop.platform.messaging.PermanentMessageFailure}
 * means the carrier refused the order, and it goes to the dead-letter queue at once.
 */
public interface Carrier {

    /** @param traceparent W3C trace context of the flow, forwarded to the carrier; may be null */
    String book(OrderConfirmed order, String traceparent);

    /** Name stored with each shipment: who was asked. */
    String name();
}
