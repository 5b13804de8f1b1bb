package shop.order.api;

import java.util.List;
import java.util.Map;

import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.http.HttpStatus;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import shop.order.domain.OrderStatus;
import shop.order.domain.OrderStore;
import shop.platform.web.ApiException;

/** {@code GET /admin/orders}: what an operator checks for sagas that have not finished (operator auth). */
@RestController
@Validated
public class AdminOrdersController {

    private static final int LIMIT = 1000;

    private final OrderStore orders;

    public AdminOrdersController(OrderStore orders) {
        this.orders = orders;
    }

    /** The answer: how many orders match, and the oldest {@value #LIMIT} of them. */
    public record Listing(long count, List<OrderStore.Summary> orders) {
    }

    @Operation(summary = "Orders by status, for operators checking unfinished sagas")
    @GetMapping(path = "/admin/orders", produces = "application/json")
    public Listing list(@RequestParam(name = "status", defaultValue = "PENDING") String status,
                                    @RequestParam(name = "olderThanSeconds", defaultValue = "0") @Min(0) @Max(31_536_000) long olderThanSeconds) {
        OrderStatus wanted;
        try {
            wanted = OrderStatus.valueOf(status);
        } catch (IllegalArgumentException e) {
            throw new ApiException(HttpStatus.BAD_REQUEST, Map.of("status", "REJECTED", "reason", "VALIDATION_FAILED",
                    "errors", List.of(Map.of("field", "status", "message", "must be PENDING, CONFIRMED or FAILED"))));
        }
        return new Listing(orders.count(wanted, olderThanSeconds), orders.list(wanted, olderThanSeconds, LIMIT));
    }
}
