package shop.order.api;

import java.util.UUID;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * The bodies {@code POST /orders} answers with, one per outcome (CONTRACT.md, Order API); a 503 answers
 * {@link shop.platform.web.openapi.ErrorBodies.ServiceUnavailable}.
 */
public interface OrderOutcome {

    @Schema(name = "OrderConfirmed", description = "201: the order is confirmed")
    record Confirmed(@Schema(example = "SUCCESS") String status, UUID orderId, long totalAmount,
                     @Schema(example = "USD") String currency) implements OrderOutcome {
    }

    @Schema(name = "OrderFailed", description = "409 OUT_OF_STOCK, 402 PAYMENT_DECLINED, 422 UNKNOWN_PRODUCT or CURRENCY_MISMATCH")
    record Failed(@Schema(example = "FAILED") String status, @Schema(example = "OUT_OF_STOCK") String reason, UUID orderId)
            implements OrderOutcome {
    }

    @Schema(name = "OrderPending", description = "202: a repeated request whose first is still running (README, beyond the contract)")
    record Pending(@Schema(example = "PENDING") String status, UUID orderId) implements OrderOutcome {
    }
}
