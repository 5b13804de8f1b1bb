package shop.platform.web;

/** One rejected field of a request, as the contract's 400 body lists it. */
public record FieldError(String field, String message) {
}
