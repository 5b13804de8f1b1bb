package shop.inventory.command;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

import org.springframework.stereotype.Component;

import shop.platform.messaging.PermanentMessageFailure;

/**
 * Checks a command's payload before anything touches the database. A command that fails can never succeed,
 * so it is a {@link PermanentMessageFailure}: the {@code command-handler} route configuration answers
 * {@code {"status":"ERROR","reason":"INVALID_COMMAND"}} and nothing changes.
 */
@Component
public class CommandValidator {

    public static final int MAX_LINES = 50;
    public static final int MAX_QUANTITY = 1000;
    /** Longer ids cannot name a product; anything up to this length that is not in the catalogue is UNKNOWN_PRODUCT. */
    public static final int MAX_PRODUCT_ID_LENGTH = 255;

    private static final Pattern UUID_TEXT =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    /** {@code inventory.reserve}: orderId plus 1..50 lines of distinct products, each quantity 1..1000. */
    public ReserveRequest reserve(InventoryCommand command) {
        UUID orderId = orderId(command);
        List<InventoryCommand.Item> items = command.items();
        if (items == null || items.isEmpty() || items.size() > MAX_LINES) {
            throw invalid("items must hold 1.." + MAX_LINES + " lines");
        }
        List<ReserveRequest.Line> lines = new ArrayList<>(items.size());
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < items.size(); i++) {
            InventoryCommand.Item item = items.get(i);
            if (item == null) {
                throw invalid("items[" + i + "] is missing");
            }
            String productId = item.productId();
            if (productId == null || productId.isBlank() || productId.length() > MAX_PRODUCT_ID_LENGTH) {
                throw invalid("items[" + i + "].productId must be 1.." + MAX_PRODUCT_ID_LENGTH + " characters");
            }
            if (!seen.add(productId)) {
                throw invalid("items[" + i + "].productId repeats " + productId);
            }
            Integer quantity = item.quantity();
            if (quantity == null || quantity < 1 || quantity > MAX_QUANTITY) {
                throw invalid("items[" + i + "].quantity must be 1.." + MAX_QUANTITY);
            }
            lines.add(new ReserveRequest.Line(productId, quantity));
        }
        return new ReserveRequest(orderId, List.copyOf(lines));
    }

    /** {@code inventory.release}, {@code inventory.confirm}, {@code inventory.status}: only the orderId counts. */
    public UUID orderId(InventoryCommand command) {
        if (command == null) {
            throw new PermanentMessageFailure("invalid inventory command: the body is empty");
        }
        String orderId = command.orderId();
        if (orderId == null || !UUID_TEXT.matcher(orderId).matches()) {
            throw invalid("orderId must be a UUID");
        }
        return UUID.fromString(orderId);
    }

    private static PermanentMessageFailure invalid(String problem) {
        return new PermanentMessageFailure("invalid command: " + problem);
    }
}
