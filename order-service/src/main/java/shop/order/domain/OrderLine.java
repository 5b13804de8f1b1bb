package shop.order.domain;

/** One line of an order; the unit price is the inventory's, known once stock is reserved. */
public record OrderLine(String productId, int quantity, Long unitPrice) {
}
