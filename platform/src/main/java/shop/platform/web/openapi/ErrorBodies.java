package shop.platform.web.openapi;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.media.Schema;

import shop.platform.web.FieldError;

/** The error bodies of CONTRACT.md, as the OpenAPI document names them (every service answers with these). */
public final class ErrorBodies {

    @Schema(name = "ValidationFailed", description = "400: malformed or invalid request; every rejected field named")
    public record ValidationFailed(@Schema(example = "REJECTED") String status,
                                   @Schema(example = "VALIDATION_FAILED") String reason,
                                   List<FieldError> errors) {
    }

    @Schema(name = "Rejected", description = "A request refused as a whole: PAYLOAD_TOO_LARGE (413), IDEMPOTENCY_KEY_REUSED (422), ...")
    public record Rejected(@Schema(example = "REJECTED") String status, @Schema(example = "PAYLOAD_TOO_LARGE") String reason) {
    }

    @Schema(name = "ServiceUnavailable", description = "503 with a Retry-After header: a dependency is failing or a circuit is open")
    public record ServiceUnavailable(@Schema(example = "SERVICE_UNAVAILABLE") String status,
                                     @JsonProperty("retry_after") @Schema(example = "5") int retryAfter) {
    }

    @Schema(name = "Unauthorized", description = "401: credentials missing, wrong or expired")
    public record Unauthorized(@Schema(example = "UNAUTHORIZED") String status,
                               @Schema(example = "AUTHENTICATION_REQUIRED") String reason) {
    }

    @Schema(name = "Forbidden", description = "403: authenticated, but the role may not do this (a viewer operating)")
    public record Forbidden(@Schema(example = "FORBIDDEN") String status, @Schema(example = "NOT_ALLOWED") String reason) {
    }

    @Schema(name = "NotFound", description = "404: no such resource, or not the caller's")
    public record NotFound(@Schema(example = "NOT_FOUND") String status) {
    }

    private ErrorBodies() {
    }
}
