package shop.order.saga;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.camel.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import shop.order.domain.FailureReason;
import shop.order.domain.Order;
import shop.order.domain.OrderStatus;
import shop.order.domain.OrderStore;
import shop.order.domain.SagaStep;

/**
 * Drives sagas that stopped part-way (process killed, reply lost, compensation given up) to CONFIRMED or
 * FAILED ({@code routes/order-service/saga-recovery.yaml}, docs/saga.md). Forward when the payment is known
 * to be complete, otherwise fail and compensate; every participant call is idempotent by order id.
 */
@Component("sagaRecovery")
public class SagaRecovery {

    public static final String CONFIRM = "CONFIRM";
    public static final String CHECK_PAYMENT = "CHECK_PAYMENT";
    public static final String FAIL = "FAIL";
    public static final String NONE = "NONE";

    private static final Logger log = LoggerFactory.getLogger(SagaRecovery.class);

    private final OrderStore orders;
    private final OrderMetrics metrics;
    private final int staleSeconds;

    public SagaRecovery(OrderStore orders, OrderMetrics metrics, @Value("${shop.saga.stale-after-seconds}") int staleSeconds) {
        this.orders = orders;
        this.metrics = metrics;
        this.staleSeconds = staleSeconds;
    }

    public List<String> leaseStale() {
        List<String> ids = orders.leaseStale(staleSeconds, 50).stream().map(UUID::toString).toList();
        if (!ids.isEmpty()) {
            log.warn("recovering {} saga(s) that stopped part-way: {}", ids.size(), ids);
        }
        return ids;
    }

    public String plan(@Header("orderId") String orderId) {
        Order order = orders.get(UUID.fromString(orderId));
        if (order.status() != OrderStatus.PENDING) {
            return NONE;
        }
        return switch (order.sagaStep()) {
            case CONFIRMING -> CONFIRM;
            case CHARGING -> CHECK_PAYMENT;
            default -> FAIL;
        };
    }

    public Map<String, Object> paymentStatusCommand(@Header("orderId") String orderId, org.apache.camel.Exchange exchange) {
        exchange.getIn().setHeader(CommandRequests.TYPE, "payment.status");
        return Map.of("orderId", orderId);
    }

    /** After a lost charge reply: a completed payment lets the order go forward; anything else fails it. */
    public String afterPaymentStatus(@Header("orderId") String orderId, Map<String, Object> reply) {
        if ("COMPLETED".equals(reply.get("status"))) {
            orders.recordPayment(UUID.fromString(orderId), UUID.fromString((String) reply.get("paymentId")));
            return CONFIRM;
        }
        return FAIL;
    }

    public void failInterrupted(@Header("orderId") String orderId) {
        UUID id = UUID.fromString(orderId);
        if (orders.fail(id, FailureReason.INTERRUPTED)) {
            metrics.finished(FailureReason.outcome(FailureReason.INTERRUPTED), orders.get(id).createdAt());
            log.warn("order {} failed by recovery: {}", orderId, FailureReason.INTERRUPTED);
        }
    }

    /** The compensation routes a failed order still needs, newest step first. */
    public List<String> compensationsDue(@Header("orderId") String orderId) {
        Order order = orders.get(UUID.fromString(orderId));
        List<String> due = new ArrayList<>();
        if (order.sagaStep() != SagaStep.COMPENSATING) {
            return due;
        }
        if (order.chargeStarted() && !order.refunded()) {
            due.add("direct:refund-payment");
        }
        if (order.reserveStarted() && !order.released()) {
            due.add("direct:release-stock");
        }
        return due;
    }
}
