package shop.contracts.inventory;

import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import jakarta.validation.constraints.NotNull;

import shop.contracts.Command;
import shop.contracts.Message;

/** {@code inventory.status}: what became of the order's reservation (read-only). Answered by a {@link ReservationReply}. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record GetReservation(String messageId, String type, String occurredAt, Integer schemaVersion, @NotNull UUID orderId)
        implements Command<ReservationReply> {

    public static final String TYPE = "inventory.status";

    public static GetReservation of(UUID orderId) {
        return new GetReservation(Message.newId(), TYPE, Message.now(), SCHEMA_VERSION, orderId);
    }

    @Override
    public Class<ReservationReply> replyType() {
        return ReservationReply.class;
    }
}
