package shop.inventory.product;

/**
 * A product with its stock, as stored and as {@code GET /products/{productId}} shows it: {@code available} is
 * free stock, {@code reserved} is stock held by reservations not confirmed yet.
 */
public record Product(String productId, String name, long priceCents, String currency, int available, int reserved) {
}
