package shop.order.saga;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import shop.order.domain.FailureReason;
import shop.order.domain.Order;
import shop.order.domain.OrderStore;
import shop.order.domain.SagaStep;

/**
 * The decisions of the order saga ({@code routes/order-service/order-saga.yaml}): each step records that
 * it is about to run, builds its command, and interprets the participant's answer. The route says what
 * happens in which order and what compensates it; this bean says what an answer means.
 */
@Component("orderSaga")
public class OrderSaga {

    /** The answer the circuit breaker's fallback gives in place of a participant. */
    public static final String UNAVAILABLE = "UNAVAILABLE";

    private static final Logger log = LoggerFactory.getLogger(OrderSaga.class);

    private final OrderStore orders;
    private final OrderMetrics metrics;

    public OrderSaga(OrderStore orders, OrderMetrics metrics) {
        this.orders = orders;
        this.metrics = metrics;
    }

    // --- reserve stock -------------------------------------------------------------------------------

    public Map<String, Object> beginReserve(@Header("orderId") String orderId, Exchange exchange) {
        UUID id = UUID.fromString(orderId);
        requirePending(id, SagaStep.RESERVING);
        Order order = orders.get(id);
        exchange.getIn().setHeader(CommandRequests.TYPE, "inventory.reserve");
        Map<String, Object> command = new LinkedHashMap<>();
        command.put("orderId", orderId);
        command.put("items", order.items().stream()
                .map(l -> Map.<String, Object>of("productId", l.productId(), "quantity", l.quantity())).toList());
        return command;
    }

    public void reserved(@Header("orderId") String orderId, Map<String, Object> reply) {
        UUID id = UUID.fromString(orderId);
        String status = String.valueOf(reply.get("status"));
        switch (status) {
            case "RESERVED" -> {
                Map<String, Long> prices = new LinkedHashMap<>();
                for (Object item : (List<?>) reply.get("items")) {
                    Map<?, ?> line = (Map<?, ?>) item;
                    prices.put((String) line.get("productId"), ((Number) line.get("unitPrice")).longValue());
                }
                orders.recordReservation(id, UUID.fromString((String) reply.get("reservationId")),
                        ((Number) reply.get("totalAmount")).longValue(), (String) reply.get("currency"), prices);
            }
            case "OUT_OF_STOCK" -> fail(id, FailureReason.OUT_OF_STOCK);
            case "UNKNOWN_PRODUCT" -> fail(id, FailureReason.UNKNOWN_PRODUCT);
            case "CURRENCY_MISMATCH" -> fail(id, FailureReason.CURRENCY_MISMATCH);
            case UNAVAILABLE -> fail(id, FailureReason.SERVICE_UNAVAILABLE);
            default -> fail(id, FailureReason.INTERRUPTED);
        }
    }

    // --- charge payment ------------------------------------------------------------------------------

    public Map<String, Object> beginCharge(@Header("orderId") String orderId, Exchange exchange) {
        UUID id = UUID.fromString(orderId);
        requirePending(id, SagaStep.CHARGING);
        Order order = orders.get(id);
        exchange.getIn().setHeader(CommandRequests.TYPE, "payment.charge");
        Map<String, Object> command = new LinkedHashMap<>();
        command.put("orderId", orderId);
        command.put("userId", order.userId());
        command.put("amount", order.totalAmount());
        command.put("currency", order.currency());
        command.put("paymentMethod", order.paymentMethod());
        return command;
    }

    public void charged(@Header("orderId") String orderId, Map<String, Object> reply) {
        UUID id = UUID.fromString(orderId);
        switch (String.valueOf(reply.get("status"))) {
            case "COMPLETED" -> orders.recordPayment(id, UUID.fromString((String) reply.get("paymentId")));
            case "DECLINED" -> fail(id, FailureReason.PAYMENT_DECLINED);
            // PENDING: the provider's outcome is unknown; the refund compensation settles it.
            case "PENDING", UNAVAILABLE -> fail(id, FailureReason.SERVICE_UNAVAILABLE);
            default -> fail(id, FailureReason.INTERRUPTED);
        }
    }

    // --- confirm -------------------------------------------------------------------------------------

    public Map<String, Object> beginConfirm(@Header("orderId") String orderId, Exchange exchange) {
        requirePending(UUID.fromString(orderId), SagaStep.CONFIRMING);
        exchange.getIn().setHeader(CommandRequests.TYPE, "inventory.confirm");
        return Map.of("orderId", orderId);
    }

    public void confirmed(@Header("orderId") String orderId, Map<String, Object> reply) {
        UUID id = UUID.fromString(orderId);
        Object status = reply.get("status");
        if (UNAVAILABLE.equals(status)) {
            fail(id, FailureReason.SERVICE_UNAVAILABLE);
        } else if (!"CONFIRMED".equals(status)) {
            fail(id, FailureReason.RESERVATION_EXPIRED);
        }
        // the order as confirmed, read in the confirming transaction
        Order order = orders.confirm(id)
                // recovery failed the order meanwhile: its compensations must run
                .orElseThrow(() -> new SagaFailure(orderId, "no longer pending"));
        metrics.finished("confirmed", order.createdAt());
        log.info("order {} confirmed: {} {}", orderId, order.totalAmount(), order.currency());
    }

    // --- failures ------------------------------------------------------------------------------------

    /**
     * Circuit breaker fallback: the participant could not be reached, answered ERROR, or its breaker is
     * open. The fallback answers in the participant's place; the step's interpretation fails the order.
     */
    public Map<String, Object> unavailable(@Header("orderId") String orderId, Exchange exchange) {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        // the breaker marks the failure handled; the step's own interpretation decides from here on
        exchange.removeProperty(Exchange.EXCEPTION_CAUGHT);
        exchange.removeProperty(org.apache.camel.ExchangePropertyKey.EXCEPTION_HANDLED.getName());
        log.warn("order {}: dependency unavailable: {}", orderId, cause == null ? "circuit open" : cause.toString());
        return Map.of("status", UNAVAILABLE);
    }

    /** Anything unforeseen inside the saga: the order fails as unavailable (best effort; recovery backs it up). */
    public void unexpected(@Header("orderId") String orderId, @ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Throwable cause) {
        log.error("order {}: saga failed unexpectedly", orderId, cause);
        try {
            UUID id = UUID.fromString(orderId);
            if (orders.fail(id, FailureReason.SERVICE_UNAVAILABLE)) {
                metrics.finished(FailureReason.outcome(FailureReason.SERVICE_UNAVAILABLE), orders.get(id).createdAt());
            }
        } catch (RuntimeException e) {
            log.error("order {}: could not record the failure; the recovery route will settle it", orderId, e);
        }
    }

    private void fail(UUID orderId, String reason) {
        if (orders.fail(orderId, reason)) {
            metrics.finished(FailureReason.outcome(reason), orders.get(orderId).createdAt());
            log.info("order {} failed: {}", orderId, reason);
        }
        throw new SagaFailure(orderId.toString(), reason);
    }

    private void requirePending(UUID orderId, SagaStep step) {
        if (!orders.beginStep(orderId, step)) {
            throw new SagaFailure(orderId.toString(), "no longer pending");
        }
    }

    // --- compensations (idempotent; run by the Saga EIP, newest first, and by recovery) ----------------

    public Map<String, Object> releaseCommand(@Header("orderId") String orderId, Exchange exchange) {
        exchange.getIn().setHeader(CommandRequests.TYPE, "inventory.release");
        return Map.of("orderId", orderId);
    }

    public void released(@Header("orderId") String orderId, Map<String, Object> reply) {
        if (!"RELEASED".equals(reply.get("status"))) {
            throw new IllegalStateException("release of order " + orderId + " answered " + reply);
        }
        orders.markReleased(UUID.fromString(orderId));
    }

    public Map<String, Object> refundCommand(@Header("orderId") String orderId, Exchange exchange) {
        exchange.getIn().setHeader(CommandRequests.TYPE, "payment.refund");
        return Map.of("orderId", orderId);
    }

    public void refunded(@Header("orderId") String orderId, Map<String, Object> reply) {
        Object status = reply.get("status");
        if (!"REFUNDED".equals(status) && !"NOTHING_TO_REFUND".equals(status)) {
            throw new IllegalStateException("refund of order " + orderId + " answered " + reply);
        }
        orders.markRefunded(UUID.fromString(orderId));
    }

    /** Last compensation of the saga (registered first): done when every needed compensation is. */
    public void compensated(@Header("orderId") String orderId) {
        UUID id = UUID.fromString(orderId);
        if (orders.finishCompensation(id)) {
            log.info("order {} compensated", orderId);
        } else {
            log.warn("order {}: compensation incomplete; the recovery route will finish it", orderId);
        }
    }
}
