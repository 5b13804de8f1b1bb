package shop.order.api;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;

import shop.order.domain.FailureReason;
import shop.order.domain.Order;
import shop.order.domain.OrderStatus;
import shop.order.domain.OrderStore;
import shop.platform.web.openapi.ErrorBodies;

/**
 * Turns an order's state into the contract's answer to {@code POST /orders}. A repeated request waits for
 * the first one's saga to end (up to {@code shop.orders.duplicate-wait-seconds}), then answers the same.
 */
@Component
public class OrderAnswers {

    private final OrderStore orders;
    private final List<CircuitBreaker> breakers;
    private final Duration duplicateWait;
    private final int retryAfterSeconds;

    public OrderAnswers(OrderStore orders, List<CircuitBreaker> breakers,
                        @Value("${shop.orders.duplicate-wait-seconds}") int duplicateWaitSeconds,
                        @Value("${shop.orders.retry-after-seconds}") int retryAfterSeconds) {
        this.orders = orders;
        this.breakers = breakers;
        this.duplicateWait = Duration.ofSeconds(duplicateWaitSeconds);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public ResponseEntity<Object> answer(UUID orderId, boolean waitForFinish) {
        Order order = orders.get(orderId);
        Instant until = Instant.now().plus(duplicateWait);
        while (waitForFinish && !order.finished() && Instant.now().isBefore(until)) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            order = orders.get(orderId);
        }
        return answer(order);
    }

    /** The answer an order's row gives as it is (CONFIRMED, FAILED with its reason, or still PENDING). */
    public ResponseEntity<Object> answer(Order order) {
        UUID orderId = order.orderId();
        if (order.status() == OrderStatus.CONFIRMED) {
            return ResponseEntity.created(URI.create("/orders/" + orderId))
                    .body(new OrderOutcome.Confirmed("SUCCESS", order.orderId(), order.totalAmount(), order.currency().trim()));
        }
        if (order.status() == OrderStatus.PENDING) {
            return ResponseEntity.status(HttpStatus.ACCEPTED).location(URI.create("/orders/" + orderId))
                    .body(new OrderOutcome.Pending("PENDING", order.orderId()));
        }
        HttpStatus status = switch (order.reason()) {
            case FailureReason.OUT_OF_STOCK -> HttpStatus.CONFLICT;
            case FailureReason.PAYMENT_DECLINED -> HttpStatus.PAYMENT_REQUIRED;
            case FailureReason.UNKNOWN_PRODUCT, FailureReason.CURRENCY_MISMATCH -> HttpStatus.UNPROCESSABLE_ENTITY;
            default -> HttpStatus.SERVICE_UNAVAILABLE;
        };
        if (status == HttpStatus.SERVICE_UNAVAILABLE) {
            int retryAfter = retryAfter();
            return ResponseEntity.status(status).header("Retry-After", Integer.toString(retryAfter))
                    .body(new ErrorBodies.ServiceUnavailable("SERVICE_UNAVAILABLE", retryAfter));
        }
        return ResponseEntity.status(status).body(new OrderOutcome.Failed("FAILED", order.reason(), order.orderId()));
    }

    /** While a breaker is open, its whole open-state wait (an upper bound of what remains); otherwise a short pause. */
    private int retryAfter() {
        int seconds = retryAfterSeconds;
        for (CircuitBreaker breaker : breakers) {
            if (breaker.getState() == CircuitBreaker.State.OPEN) {
                long waitMs = breaker.getCircuitBreakerConfig().getWaitIntervalFunctionInOpenState().apply(1);
                seconds = Math.max(seconds, (int) Math.ceil(waitMs / 1000.0));
            }
        }
        return seconds;
    }
}
