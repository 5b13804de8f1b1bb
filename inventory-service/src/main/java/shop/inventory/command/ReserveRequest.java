package shop.inventory.command;

import java.util.List;
import java.util.UUID;

/** A validated {@code inventory.reserve}: 1..50 lines with distinct products, quantities 1..1000, in request order. */
public record ReserveRequest(UUID orderId, List<Line> lines) {

    public record Line(String productId, int quantity) {
    }
}
