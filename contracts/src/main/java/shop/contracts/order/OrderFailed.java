package shop.contracts.order;

import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import shop.contracts.Message;

/** {@code order.failed}: the order will not be fulfilled; {@code reason} as the order API reports it. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record OrderFailed(String messageId, String type, String occurredAt, Integer schemaVersion,
                          UUID orderId, String userId, String reason) implements Message {

    public static final String TYPE = "order.failed";

    public static OrderFailed of(UUID orderId, String userId, String reason) {
        return new OrderFailed(Message.newId(), TYPE, Message.now(), SCHEMA_VERSION, orderId, userId, reason);
    }
}
