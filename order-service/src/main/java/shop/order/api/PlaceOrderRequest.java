package shop.order.api;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import shop.platform.web.FieldError;

/**
 * {@code POST /orders}: what the customer may say. No user id and no amounts: the user is the token's
 * subject and prices come from the inventory. Unknown fields are rejected (docs/adr/0004).
 */
public record PlaceOrderRequest(
        @NotNull @Size(min = 1, max = 50) List<@NotNull @Valid Line> items,
        @NotBlank @Size(max = 100) @Pattern(regexp = "pm_[A-Za-z0-9_]+", message = "must be a payment method id such as pm_card_visa")
        String paymentMethod,
        @NotNull @Valid Address shippingAddress) {

    private static final Set<String> COUNTRIES = Set.of(Locale.getISOCountries());
    static final String TEXT = "[^\\p{Cntrl}]*";

    public record Line(
            @NotBlank @Size(max = 64) @Pattern(regexp = "[A-Za-z0-9._-]+", message = "may contain only letters, digits, '.', '_' and '-'")
            String productId,
            @NotNull @Min(1) @Max(1000) Integer quantity) {
    }

    public record Address(
            @NotBlank @Size(max = 200) @Pattern(regexp = TEXT, message = "must not contain control characters") String name,
            @NotBlank @Size(max = 200) @Pattern(regexp = TEXT, message = "must not contain control characters") String line1,
            @Size(max = 200) @Pattern(regexp = TEXT, message = "must not contain control characters") String line2,
            @NotBlank @Size(max = 100) @Pattern(regexp = TEXT, message = "must not contain control characters") String city,
            @NotBlank @Size(max = 20) @Pattern(regexp = "[A-Za-z0-9 -]+", message = "may contain only letters, digits, spaces and '-'") String postalCode,
            @NotBlank @Pattern(regexp = "[A-Z]{2}", message = "must be an ISO 3166-1 alpha-2 code") String country) {
    }

    /** Rules bean validation cannot say on a field: distinct products, a country that exists. */
    public List<FieldError> crossFieldErrors() {
        List<FieldError> errors = new ArrayList<>();
        if (items != null) {
            Map<String, Integer> first = new HashMap<>();
            for (int i = 0; i < items.size(); i++) {
                Line line = items.get(i);
                if (line != null && line.productId() != null) {
                    Integer earlier = first.putIfAbsent(line.productId(), i);
                    if (earlier != null) {
                        errors.add(new FieldError("items[" + i + "].productId", "repeats items[" + earlier + "].productId"));
                    }
                }
            }
        }
        if (shippingAddress != null && shippingAddress.country() != null && shippingAddress.country().matches("[A-Z]{2}")
                && !COUNTRIES.contains(shippingAddress.country())) {
            errors.add(new FieldError("shippingAddress.country", "must be an ISO 3166-1 alpha-2 code"));
        }
        return errors;
    }
}
