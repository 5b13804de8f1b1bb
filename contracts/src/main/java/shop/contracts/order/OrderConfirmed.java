package shop.contracts.order;

import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;

import shop.contracts.Message;

/**
 * {@code order.confirmed}: the order is paid and its stock is held for good; it can ship. The constraints are what a
 * consumer may rely on (shipping checks them before it books a carrier).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record OrderConfirmed(@NotBlank @Size(max = 255) String messageId, String type, String occurredAt, Integer schemaVersion,
                             @NotNull UUID orderId,
                             @NotBlank @Size(max = 255) String userId,
                             @NotEmpty @Size(max = 1000) List<@NotNull @Valid Item> items,
                             @PositiveOrZero Long totalAmount,
                             String currency,
                             @NotNull @Valid Address shippingAddress) implements Message {

    public static final String TYPE = "order.confirmed";

    public static OrderConfirmed of(UUID orderId, String userId, List<Item> items, long totalAmount, String currency,
                                    Address shippingAddress) {
        return new OrderConfirmed(Message.newId(), TYPE, Message.now(), SCHEMA_VERSION, orderId, userId, items, totalAmount,
                currency, shippingAddress);
    }

    /** One line at the price it was reserved at (minor units). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Item(@NotBlank @Size(max = 255) String productId,
                       @NotNull @Positive Integer quantity,
                       @PositiveOrZero Long unitPrice) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Address(@NotBlank @Size(max = 200) String name,
                          @NotBlank @Size(max = 200) String line1,
                          @Size(max = 200) String line2,
                          @NotBlank @Size(max = 100) String city,
                          @NotBlank @Size(max = 20) String postalCode,
                          @NotBlank @Size(max = 56) String country) {
    }
}
