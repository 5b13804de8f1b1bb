package shop.inventory.reservation;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The answers to inventory commands, exactly as docs/messaging.md ("inventory") lists them. */
public final class Replies {

    public static Map<String, Object> reserved(Reservation reservation, List<ReservationLine> lines) {
        Map<String, Object> reply = reply("RESERVED", reservation.orderId());
        reply.put("reservationId", reservation.reservationId().toString());
        reply.put("currency", reservation.currency());
        reply.put("totalAmount", reservation.totalCents());
        reply.put("items", lines.stream().map(l -> {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("productId", l.productId());
            item.put("quantity", l.quantity());
            item.put("unitPrice", l.unitPriceCents());
            return item;
        }).toList());
        return reply;
    }

    public static Map<String, Object> outOfStock(UUID orderId, String productId) {
        Map<String, Object> reply = reply("OUT_OF_STOCK", orderId);
        reply.put("productId", productId);
        return reply;
    }

    public static Map<String, Object> unknownProduct(UUID orderId, String productId) {
        Map<String, Object> reply = reply("UNKNOWN_PRODUCT", orderId);
        reply.put("productId", productId);
        return reply;
    }

    public static Map<String, Object> currencyMismatch(UUID orderId) {
        return reply("CURRENCY_MISMATCH", orderId);
    }

    /** The answer a refused reserve gave: OUT_OF_STOCK or UNKNOWN_PRODUCT naming the product, or CURRENCY_MISMATCH. */
    public static Map<String, Object> refusal(UUID orderId, String refusal, String productId) {
        return switch (refusal) {
            case "OUT_OF_STOCK" -> outOfStock(orderId, productId);
            case "UNKNOWN_PRODUCT" -> unknownProduct(orderId, productId);
            case "CURRENCY_MISMATCH" -> currencyMismatch(orderId);
            default -> throw new IllegalStateException("unknown refusal " + refusal);
        };
    }

    /** The answer a refused reserve gave, from its tombstone ({@link Reservation#refusal()} set). */
    public static Map<String, Object> refusal(Reservation tombstone) {
        return refusal(tombstone.orderId(), tombstone.refusal(), tombstone.refusedProductId());
    }

    /** The order was released (compensated) or its reservation expired: it must not take stock again. */
    public static Map<String, Object> compensated(UUID orderId) {
        Map<String, Object> reply = reply("REFUSED", orderId);
        reply.put("reason", "ORDER_COMPENSATED");
        return reply;
    }

    public static Map<String, Object> released(UUID orderId) {
        return reply("RELEASED", orderId);
    }

    public static Map<String, Object> confirmed(Reservation reservation) {
        Map<String, Object> reply = reply("CONFIRMED", reservation.orderId());
        reply.put("reservationId", reservation.reservationId().toString());
        return reply;
    }

    /** @param reservationStatus RELEASED, EXPIRED or NONE */
    public static Map<String, Object> notHeld(UUID orderId, String reservationStatus) {
        Map<String, Object> reply = reply("NOT_HELD", orderId);
        reply.put("reservationStatus", reservationStatus);
        return reply;
    }

    /** @param status HELD, CONFIRMED, RELEASED, EXPIRED or NONE; reservationId null with NONE */
    public static Map<String, Object> status(UUID orderId, String status, UUID reservationId) {
        Map<String, Object> reply = reply(status, orderId);
        reply.put("reservationId", reservationId == null ? null : reservationId.toString());
        return reply;
    }

    private static Map<String, Object> reply(String status, UUID orderId) {
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("status", status);
        reply.put("orderId", orderId.toString());
        return reply;
    }

    private Replies() {
    }
}
