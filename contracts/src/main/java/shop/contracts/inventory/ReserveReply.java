package shop.contracts.inventory;

import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

import shop.contracts.Reply;

/**
 * The answer to {@link ReserveStock}: {@value #RESERVED} with the reservation, its currency, total and the price of
 * every line; {@value #OUT_OF_STOCK} or {@value #UNKNOWN_PRODUCT} naming the product; {@value #CURRENCY_MISMATCH};
 * or {@link Reply#REFUSED} with {@link Reply#ORDER_COMPENSATED} (the order was released or expired before).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ReserveReply(String status, UUID orderId, UUID reservationId, String currency, Long totalAmount,
                           List<PricedLine> items, String productId, String reason) implements Reply {

    public static final String RESERVED = "RESERVED";
    public static final String OUT_OF_STOCK = "OUT_OF_STOCK";
    public static final String UNKNOWN_PRODUCT = "UNKNOWN_PRODUCT";
    public static final String CURRENCY_MISMATCH = "CURRENCY_MISMATCH";

    public static ReserveReply reserved(UUID orderId, UUID reservationId, String currency, long totalAmount, List<PricedLine> items) {
        return new ReserveReply(RESERVED, orderId, reservationId, currency, totalAmount, items, null, null);
    }

    /** {@value #OUT_OF_STOCK} or {@value #UNKNOWN_PRODUCT} naming the product, or {@value #CURRENCY_MISMATCH} (productId null). */
    public static ReserveReply refused(UUID orderId, String refusal, String productId) {
        return new ReserveReply(refusal, orderId, null, null, null, null, productId, null);
    }

    /** The order was compensated (released, or its reservation expired): it must not take stock again. */
    public static ReserveReply compensated(UUID orderId) {
        return new ReserveReply(REFUSED, orderId, null, null, null, null, null, ORDER_COMPENSATED);
    }

    /** A reserved line at the inventory's unit price (minor units). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record PricedLine(String productId, int quantity, long unitPrice) {
    }
}
