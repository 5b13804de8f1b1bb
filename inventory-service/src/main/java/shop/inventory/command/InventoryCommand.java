package shop.inventory.command;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * A command on {@code inventory.commands} as it arrives: the envelope fields this service reads plus the
 * data of every inventory command. Unknown fields are ignored (docs/messaging.md: a producer may add fields
 * without a new schema version); {@link CommandValidator} turns it into a checked request.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record InventoryCommand(String messageId, String type, String orderId, List<Item> items) {

    /** One requested line: a product and how many of it. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Item(String productId, Integer quantity) {
    }
}
