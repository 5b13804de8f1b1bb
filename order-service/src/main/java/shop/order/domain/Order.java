package shop.order.domain;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * An order with its saga state, as stored in one row of {@code orders} plus its lines. {@code leaseEpoch} is the
 * fencing token of the saga instance that may drive it (docs/saga.md, Fencing).
 */
public record Order(
        UUID orderId,
        String userId,
        String requestHash,
        OrderStatus status,
        String reason,
        SagaStep sagaStep,
        boolean reserveStarted,
        boolean chargeStarted,
        boolean released,
        boolean refunded,
        String paymentMethod,
        String shippingAddressJson,
        Long totalAmount,
        String currency,
        UUID paymentId,
        UUID reservationId,
        Instant createdAt,
        Instant updatedAt,
        long leaseEpoch,
        List<OrderLine> items) {

    public Order withItems(List<OrderLine> lines) {
        return new Order(orderId, userId, requestHash, status, reason, sagaStep, reserveStarted, chargeStarted, released,
                refunded, paymentMethod, shippingAddressJson, totalAmount, currency, paymentId, reservationId, createdAt,
                updatedAt, leaseEpoch, List.copyOf(lines));
    }

    public boolean finished() {
        return status != OrderStatus.PENDING;
    }
}
