package shop.order.api;

import java.util.LinkedHashMap;
import java.util.Map;

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

    @GetMapping("/admin/orders")
    public Map<String, Object> list(@RequestParam(name = "status", defaultValue = "PENDING") String status,
                                    @RequestParam(name = "olderThanSeconds", defaultValue = "0") @Min(0) @Max(31_536_000) long olderThanSeconds) {
        OrderStatus wanted;
        try {
            wanted = OrderStatus.valueOf(status);
        } catch (IllegalArgumentException e) {
            throw new ApiException(HttpStatus.BAD_REQUEST, Map.of("status", "REJECTED", "reason", "VALIDATION_FAILED",
                    "errors", java.util.List.of(Map.of("field", "status", "message", "must be PENDING, CONFIRMED or FAILED"))));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("count", orders.count(wanted, olderThanSeconds));
        body.put("orders", orders.list(wanted, olderThanSeconds, LIMIT));
        return body;
    }
}
