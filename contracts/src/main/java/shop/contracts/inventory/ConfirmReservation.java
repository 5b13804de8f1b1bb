package shop.contracts.inventory;

import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import jakarta.validation.constraints.NotNull;

import shop.contracts.Command;
import shop.contracts.Message;

/** {@code inventory.confirm}: hold the order's reservation for good (the order is paid). Answered by a {@link ReservationReply}. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ConfirmReservation(String messageId, String type, String occurredAt, Integer schemaVersion, @NotNull UUID orderId)
        implements Command<ReservationReply> {

    public static final String TYPE = "inventory.confirm";

    public static ConfirmReservation of(UUID orderId) {
        return new ConfirmReservation(Message.newId(), TYPE, Message.now(), SCHEMA_VERSION, orderId);
    }

    @Override
    public Class<ReservationReply> replyType() {
        return ReservationReply.class;
    }
}
