package shop.contracts.inventory;

import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

import shop.contracts.Reply;

/**
 * The answer to {@link ConfirmReservation} ({@value #CONFIRMED}, or {@value #NOT_HELD} with the
 * {@code reservationStatus} RELEASED, EXPIRED or NONE), {@link ReleaseReservation} ({@value #RELEASED}) and
 * {@link GetReservation} (the reservation's status: HELD, CONFIRMED, RELEASED, EXPIRED or NONE, and its id).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ReservationReply(String status, UUID orderId, UUID reservationId, String reservationStatus, String reason)
        implements Reply {

    public static final String CONFIRMED = "CONFIRMED";
    public static final String NOT_HELD = "NOT_HELD";
    public static final String RELEASED = "RELEASED";

    public static ReservationReply confirmed(UUID orderId, UUID reservationId) {
        return new ReservationReply(CONFIRMED, orderId, reservationId, null, null);
    }

    /** @param reservationStatus RELEASED, EXPIRED or NONE */
    public static ReservationReply notHeld(UUID orderId, String reservationStatus) {
        return new ReservationReply(NOT_HELD, orderId, null, reservationStatus, null);
    }

    public static ReservationReply released(UUID orderId) {
        return new ReservationReply(RELEASED, orderId, null, null, null);
    }

    /** @param status HELD, CONFIRMED, RELEASED, EXPIRED or NONE; reservationId null with NONE */
    public static ReservationReply status(UUID orderId, String status, UUID reservationId) {
        return new ReservationReply(status, orderId, reservationId, null, null);
    }
}
