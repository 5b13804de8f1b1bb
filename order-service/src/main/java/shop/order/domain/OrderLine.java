package shop.order.domain;

import java.util.LinkedHashMap;
import java.util.Map;

/** One line of an order; the unit price is the inventory's, known once stock is reserved. */
public record OrderLine(String productId, int quantity, Long unitPrice) {

    /** The line as the API and the {@code order.confirmed} event show it. */
    public Map<String, Object> asMap() {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("productId", productId);
        line.put("quantity", quantity);
        line.put("unitPrice", unitPrice);
        return line;
    }
}
