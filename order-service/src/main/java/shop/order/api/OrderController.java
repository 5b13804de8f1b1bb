package shop.order.api;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.validation.Validator;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

import shop.order.domain.Lease;
import shop.order.domain.Order;
import shop.order.domain.OrderLine;
import shop.order.domain.OrderStore;
import shop.order.domain.Superseded;
import shop.order.saga.OrderMetrics;
import shop.order.saga.OrderSaga;
import shop.order.saga.SagaAdmission;
import shop.platform.web.ApiException;
import shop.platform.web.ApiExceptionHandler;
import shop.platform.web.FieldError;
import shop.platform.web.openapi.ErrorBodies;

/**
 * The customer's order API (CONTRACT.md, Order API). Accepting an order is one transaction; the saga then
 * runs in the {@code place-order} route, and the answer is whatever the order row says when it ends.
 */
@RestController
public class OrderController {

    private final OrderStore orders;
    private final ProducerTemplate camel;
    private final Validator validator;
    private final OrderAnswers answers;
    private final ObjectMapper canonical;
    private final OrderMetrics metrics;
    private final SagaAdmission admission;

    public OrderController(OrderStore orders, ProducerTemplate camel, Validator validator, OrderAnswers answers, ObjectMapper json,
                           OrderMetrics metrics, SagaAdmission admission) {
        this.metrics = metrics;
        this.admission = admission;
        this.orders = orders;
        this.camel = camel;
        this.validator = validator;
        this.answers = answers;
        this.canonical = json.copy().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);
    }

    @Operation(summary = "Place an order", description = "Runs the saga (reserve, charge, confirm) and answers its outcome. "
            + "A repeated request with the same Idempotency-Key answers the first one's outcome.")
    @ApiResponse(responseCode = "201", description = "confirmed; Location: /orders/{id}", headers = @Header(name = "Location"),
            content = @Content(schema = @Schema(implementation = OrderOutcome.Confirmed.class)))
    @ApiResponse(responseCode = "202", description = "a repeated request whose first is still running",
            content = @Content(schema = @Schema(implementation = OrderOutcome.Pending.class)))
    @ApiResponse(responseCode = "409", description = "OUT_OF_STOCK", content = @Content(schema = @Schema(implementation = OrderOutcome.Failed.class)))
    @ApiResponse(responseCode = "402", description = "PAYMENT_DECLINED", content = @Content(schema = @Schema(implementation = OrderOutcome.Failed.class)))
    @ApiResponse(responseCode = "422", description = "UNKNOWN_PRODUCT or CURRENCY_MISMATCH (OrderFailed); IDEMPOTENCY_KEY_REUSED (Rejected)",
            content = @Content(schema = @Schema(oneOf = {OrderOutcome.Failed.class, ErrorBodies.Rejected.class})))
    @ApiResponse(responseCode = "503", description = "a dependency is failing or a circuit is open", headers = @Header(name = "Retry-After"),
            content = @Content(schema = @Schema(implementation = ErrorBodies.ServiceUnavailable.class)))
    @ApiResponse(responseCode = "400", description = "VALIDATION_FAILED, each field named",
            content = @Content(schema = @Schema(implementation = ErrorBodies.ValidationFailed.class)))
    @ApiResponse(responseCode = "413", description = "PAYLOAD_TOO_LARGE: body over 64 KiB",
            content = @Content(schema = @Schema(implementation = ErrorBodies.Rejected.class)))
    @ApiResponse(responseCode = "415", description = "not application/json", content = @Content(schema = @Schema(implementation = ErrorBodies.Rejected.class)))
    @PostMapping(path = "/orders", consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<Object> place(@AuthenticationPrincipal Jwt token,
                                                     @Parameter(description = "1..255 visible ASCII characters")
                                                     @RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey,
                                                     @RequestBody(required = false) PlaceOrderRequest request) {
        validate(request, idempotencyKey);
        String userId = token.getSubject();
        List<OrderLine> lines = request.items().stream().map(l -> new OrderLine(l.productId(), l.quantity(), null)).toList();
        String hash = hash(request);
        // admitted before the order is written: a request turned away has changed nothing
        Placed placed = admission.admit(() -> {
            OrderStore.Accepted accepted = accept(userId, idempotencyKey, hash, request, lines);
            return new Placed(accepted, accepted.created() ? runSaga(accepted.orderId()) : null);
        }, () -> orders.placedWithKey(userId, idempotencyKey).map(accepted -> new Placed(accepted, null)));
        OrderStore.Accepted accepted = placed.accepted();
        if (!accepted.created() && !hash.equals(accepted.existingHash())) {
            metrics.rejected();
            throw ApiException.rejected(HttpStatus.UNPROCESSABLE_ENTITY, "IDEMPOTENCY_KEY_REUSED");
        }
        if (placed.outcome() != null && placed.outcome().finished()) {
            // the row the saga's last fenced write returned: final, so reading it again would tell the same
            return answers.answer(placed.outcome());
        }
        // a duplicate of an order still in flight waits for its outcome here, outside the admission
        return answers.answer(accepted.orderId(), !accepted.created());
    }

    /** What a request placed: the accepted order, and for a new one the row its saga's last fenced write returned (or null). */
    private record Placed(OrderStore.Accepted accepted, Order outcome) {
    }

    @Operation(summary = "The caller's order")
    @ApiResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = OrderView.class)))
    @ApiResponse(responseCode = "404", description = "no such order, or not the caller's",
            content = @Content(schema = @Schema(implementation = ErrorBodies.NotFound.class)))
    @GetMapping(path = "/orders/{orderId}", produces = MediaType.APPLICATION_JSON_VALUE)
    public OrderView get(@AuthenticationPrincipal Jwt token, @PathVariable String orderId) {
        UUID id;
        try {
            id = UUID.fromString(orderId);
        } catch (IllegalArgumentException e) {
            throw ApiException.notFound();
        }
        Order order = orders.find(id).filter(o -> o.userId().equals(token.getSubject())).orElseThrow(ApiException::notFound);
        return OrderView.of(order);
    }

    /**
     * Runs the saga with the epoch the order was accepted with; its outcome is in the order row, whatever
     * happened, and answers the row its last fenced write returned (null if none). A {@link Superseded} that a
     * circuit breaker's fallback path lets escape the route's doTry means recovery took the order over: the row
     * still tells the outcome.
     */
    private Order runSaga(UUID orderId) {
        Exchange done = camel.send("direct:place-order", exchange -> {
            exchange.getIn().setHeader(OrderSaga.ORDER_ID, orderId.toString());
            exchange.getIn().setHeader(OrderSaga.EPOCH, Lease.FIRST);
        });
        Exception failure = done.getException();
        if (failure instanceof Superseded) {
            return null;
        }
        if (failure != null) {
            throw CamelExecutionException.wrapCamelExecutionException(done, failure);
        }
        return done.getProperty(OrderSaga.ROW, Order.class);
    }

    private OrderStore.Accepted accept(String userId, String key, String hash, PlaceOrderRequest request, List<OrderLine> lines) {
        for (int attempt = 0; ; attempt++) {
            try {
                return orders.accept(userId, key, hash, request.paymentMethod(), request.shippingAddress(), lines);
            } catch (OrderStore.ConcurrentKeyRelease e) {
                if (attempt == 3) {
                    throw e;
                }
            }
        }
    }

    private void validate(PlaceOrderRequest request, String idempotencyKey) {
        List<FieldError> errors = new ArrayList<>();
        if (idempotencyKey != null && (idempotencyKey.isEmpty() || idempotencyKey.length() > 255
                || !idempotencyKey.chars().allMatch(c -> c >= 0x21 && c <= 0x7e))) {
            errors.add(new FieldError("Idempotency-Key", "must be 1 to 255 visible ASCII characters"));
        }
        if (request == null) {
            errors.add(new FieldError("body", "is required"));
        } else {
            validator.validate(request).forEach(v -> errors.add(new FieldError(
                    v.getPropertyPath().toString().replace(".<list element>", ""), v.getMessage())));
            errors.addAll(request.crossFieldErrors());
        }
        if (!errors.isEmpty()) {
            var response = ApiExceptionHandler.validationFailed(errors);
            throw new ApiException(HttpStatus.BAD_REQUEST, response.getBody());
        }
    }

    private String hash(PlaceOrderRequest request) {
        try {
            byte[] canonicalJson = canonical.writeValueAsBytes(request);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonicalJson));
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
