package shop.inventory.api;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * Body of {@code PUT /products/{productId}}. Amounts are integer cents (a fraction is a 400); {@code available}
 * is the free stock to set - units held by reservations are not part of it and stay reserved.
 */
public record ProductRequest(
        @NotBlank @Size(max = 200) String name,
        @NotNull @Min(0) @Max(100_000_000) Long priceCents,
        @NotNull @Pattern(regexp = "[A-Z]{3}", message = "must be an ISO 4217 code of 3 upper-case letters") String currency,
        @NotNull @Min(0) @Max(1_000_000) Integer available) {
}
