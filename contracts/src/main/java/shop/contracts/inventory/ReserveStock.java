package shop.contracts.inventory;

import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import shop.contracts.Command;
import shop.contracts.Message;

/** {@code inventory.reserve}: hold every line, all or none, at the inventory's prices. Answered by a {@link ReserveReply}. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ReserveStock(String messageId, String type, String occurredAt, Integer schemaVersion,
                           @NotNull UUID orderId,
                           @NotNull @Size(min = 1, max = MAX_LINES) List<@NotNull @Valid Line> items) implements Command<ReserveReply> {

    public static final String TYPE = "inventory.reserve";
    public static final int MAX_LINES = 50;
    public static final int MAX_QUANTITY = 1000;
    /** Longer ids cannot name a product; anything up to this length that is not in the catalogue is UNKNOWN_PRODUCT. */
    public static final int MAX_PRODUCT_ID_LENGTH = 255;

    public static ReserveStock of(UUID orderId, List<Line> items) {
        return new ReserveStock(Message.newId(), TYPE, Message.now(), SCHEMA_VERSION, orderId, items);
    }

    @Override
    public Class<ReserveReply> replyType() {
        return ReserveReply.class;
    }

    /** One requested line: a product and how many of it. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Line(@NotBlank @Size(max = MAX_PRODUCT_ID_LENGTH) String productId,
                       @NotNull @Min(1) @Max(MAX_QUANTITY) Integer quantity) {
    }
}
