package shop.shipping.shipment;

import java.time.Instant;
import java.util.UUID;

/** A shipment as {@code GET /shipments} shows it. */
public record Shipment(UUID shipmentId, UUID orderId, String status, String trackingNumber, String carrier, Instant createdAt) {
}
