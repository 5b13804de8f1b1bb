package shop.order.api;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.swagger.v3.oas.annotations.media.Schema;

import shop.order.domain.Order;
import shop.order.domain.OrderLine;

/** {@code GET /orders/{orderId}}: the order as its owner sees it (CONTRACT.md, Order API). */
@Schema(name = "Order")
public record OrderView(UUID orderId, String userId,
                        @Schema(allowableValues = {"PENDING", "CONFIRMED", "FAILED"}) String status,
                        @Schema(description = "set when FAILED", example = "OUT_OF_STOCK") String reason,
                        List<OrderLine> items, Long totalAmount, String currency, UUID paymentId, UUID reservationId,
                        Instant createdAt, Instant updatedAt) {

    static OrderView of(Order order) {
        return new OrderView(order.orderId(), order.userId(), order.status().name(), order.reason(), order.items(),
                order.totalAmount(), order.currency() == null ? null : order.currency().trim(), order.paymentId(),
                order.reservationId(), order.createdAt(), order.updatedAt());
    }
}
