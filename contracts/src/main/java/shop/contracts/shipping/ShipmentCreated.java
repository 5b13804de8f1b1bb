package shop.contracts.shipping;

import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import shop.contracts.Message;

/** {@code shipment.created}: the carrier booked the order's one shipment. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ShipmentCreated(String messageId, String type, String occurredAt, Integer schemaVersion,
                              UUID shipmentId, UUID orderId, String trackingNumber) implements Message {

    public static final String TYPE = "shipment.created";

    public static ShipmentCreated of(UUID shipmentId, UUID orderId, String trackingNumber) {
        return new ShipmentCreated(Message.newId(), TYPE, Message.now(), SCHEMA_VERSION, shipmentId, orderId, trackingNumber);
    }
}
