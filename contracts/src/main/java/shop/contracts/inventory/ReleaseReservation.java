package shop.contracts.inventory;

import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import jakarta.validation.constraints.NotNull;

import shop.contracts.Command;
import shop.contracts.Message;

/** {@code inventory.release}: give the order's reserved stock back (a compensation; also refuses a later reserve). Answered by a {@link ReservationReply}. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ReleaseReservation(String messageId, String type, String occurredAt, Integer schemaVersion, @NotNull UUID orderId)
        implements Command<ReservationReply> {

    public static final String TYPE = "inventory.release";

    public static ReleaseReservation of(UUID orderId) {
        return new ReleaseReservation(Message.newId(), TYPE, Message.now(), SCHEMA_VERSION, orderId);
    }

    @Override
    public Class<ReservationReply> replyType() {
        return ReservationReply.class;
    }
}
