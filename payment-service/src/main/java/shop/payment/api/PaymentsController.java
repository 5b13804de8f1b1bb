package shop.payment.api;

import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

import org.springframework.http.HttpStatus;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import shop.payment.payment.Payment;
import shop.payment.payment.PaymentStore;
import shop.platform.web.ApiException;
import shop.platform.web.ApiExceptionHandler;
import shop.platform.web.FieldError;

/**
 * Operator read endpoint (CONTRACT.md, Payments): {@code GET /payments?orderId=<uuid>} -> the order's payments
 * (at most one), {@code []} when it has none. A malformed or missing orderId is a 400 VALIDATION_FAILED
 * (platform ApiExceptionHandler); authentication is the platform's (operators only).
 */
@RestController
public class PaymentsController {

    /** Canonical 8-4-4-4-12 form only: UUID.fromString alone also accepts "1-2-3-4-5". */
    private static final Pattern UUID_TEXT = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private final PaymentStore store;

    public PaymentsController(PaymentStore store) {
        this.store = store;
    }

    @GetMapping(path = "/payments", produces = "application/json")
    public List<PaymentView> payments(@RequestParam("orderId") String orderId) {
        if (!UUID_TEXT.matcher(orderId).matches()) {
            throw new ApiException(HttpStatus.BAD_REQUEST,
                    ApiExceptionHandler.validationFailed(List.of(new FieldError("orderId", "must be a UUID"))).getBody());
        }
        return store.findByOrder(UUID.fromString(orderId)).stream().map(PaymentView::of).toList();
    }

    /** One payment as operators see it. */
    public record PaymentView(String paymentId, String orderId, long amount, String currency, String status) {

        static PaymentView of(Payment p) {
            return new PaymentView(p.paymentId().toString(), p.orderId().toString(), p.amount(), p.currency(), p.status().name());
        }
    }
}
