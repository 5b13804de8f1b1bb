package shop.order.api;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import jakarta.validation.Validator;
import org.apache.camel.CamelExecutionException;
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

    @PostMapping(path = "/orders", consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<Map<String, Object>> place(@AuthenticationPrincipal Jwt token,
                                                     @RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey,
                                                     @RequestBody(required = false) PlaceOrderRequest request) {
        validate(request, idempotencyKey);
        String userId = token.getSubject();
        List<OrderLine> lines = request.items().stream().map(l -> new OrderLine(l.productId(), l.quantity(), null)).toList();
        String hash = hash(request);
        // admitted before the order is written: a request turned away has changed nothing
        OrderStore.Accepted accepted = admission.admit(() -> {
            OrderStore.Accepted placed = accept(userId, idempotencyKey, hash, request, lines);
            if (placed.created()) {
                runSaga(placed.orderId());
            }
            return placed;
        }, () -> orders.placedWithKey(userId, idempotencyKey));
        if (!accepted.created() && !hash.equals(accepted.existingHash())) {
            metrics.rejected();
            throw ApiException.rejected(HttpStatus.UNPROCESSABLE_ENTITY, "IDEMPOTENCY_KEY_REUSED");
        }
        // a duplicate of an order still in flight waits for its outcome here, outside the admission
        return answers.answer(accepted.orderId(), !accepted.created());
    }

    @GetMapping(path = "/orders/{orderId}", produces = MediaType.APPLICATION_JSON_VALUE)
    public Map<String, Object> get(@AuthenticationPrincipal Jwt token, @PathVariable String orderId) {
        UUID id;
        try {
            id = UUID.fromString(orderId);
        } catch (IllegalArgumentException e) {
            throw ApiException.notFound();
        }
        Order order = orders.find(id).filter(o -> o.userId().equals(token.getSubject())).orElseThrow(ApiException::notFound);
        return view(order);
    }

    /**
     * Runs the saga with the epoch the order was accepted with; its outcome is in the order row, whatever
     * happened. A {@link Superseded} that a circuit breaker's fallback path lets escape the route's doTry means
     * recovery took the order over: the row still tells the outcome.
     */
    private void runSaga(UUID orderId) {
        try {
            camel.sendBodyAndHeaders("direct:place-order", null, Map.of(OrderSaga.ORDER_ID, orderId.toString(), OrderSaga.EPOCH, Lease.FIRST));
        } catch (CamelExecutionException e) {
            if (!(e.getCause() instanceof Superseded)) {
                throw e;
            }
        }
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

    static Map<String, Object> view(Order order) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("orderId", order.orderId());
        body.put("userId", order.userId());
        body.put("status", order.status().name());
        body.put("reason", order.reason());
        body.put("items", order.items().stream().map(OrderLine::asMap).toList());
        body.put("totalAmount", order.totalAmount());
        body.put("currency", order.currency() == null ? null : order.currency().trim());
        body.put("paymentId", order.paymentId());
        body.put("reservationId", order.reservationId());
        body.put("createdAt", order.createdAt());
        body.put("updatedAt", order.updatedAt());
        return body;
    }
}
