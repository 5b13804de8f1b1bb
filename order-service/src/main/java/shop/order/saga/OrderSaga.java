package shop.order.saga;

import java.util.UUID;

import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import shop.contracts.inventory.ConfirmReservation;
import shop.contracts.inventory.ReleaseReservation;
import shop.contracts.inventory.ReservationReply;
import shop.contracts.inventory.ReserveReply;
import shop.contracts.inventory.ReserveStock;
import shop.contracts.payment.ChargePayment;
import shop.contracts.payment.GetPayment;
import shop.contracts.payment.PaymentReply;
import shop.contracts.payment.RefundPayment;
import shop.order.domain.FailureReason;
import shop.order.domain.Lease;
import shop.order.domain.Order;
import shop.order.domain.OrderStore;
import shop.order.domain.Superseded;

/**
 * The order saga's steps as the route ({@code routes/order-service/order-saga.yaml}) calls them: each builds its
 * command, asks {@link SagaDecisions} what the answer means, and writes that to the order row with the epoch the
 * saga instance holds ({@code sagaEpoch}) - one fenced statement each ({@link OrderStore}). A write that finds a
 * newer epoch or another state throws {@link Superseded}, and the saga instance stops. It answers the next
 * {@link SagaAction}; it keeps nothing between calls but the row the last write returned.
 */
@Component("orderSaga")
public class OrderSaga {

    public static final String ORDER_ID = "orderId";
    public static final String EPOCH = "sagaEpoch";
    public static final String DRIVER = "sagaDriver";
    /** The {@link SagaAction} the route takes next. */
    public static final String NEXT = "sagaNext";
    /**
     * The row as the saga's last fenced write (or the takeover) returned it; once it is CONFIRMED or FAILED (final),
     * the answer to {@code POST /orders} is built from it.
     */
    public static final String ROW = "sagaRow";

    private static final Logger log = LoggerFactory.getLogger(OrderSaga.class);

    private final OrderStore orders;
    private final OrderMetrics metrics;

    public OrderSaga(OrderStore orders, OrderMetrics metrics) {
        this.orders = orders;
        this.metrics = metrics;
    }

    // --- step 1: reserve stock -----------------------------------------------------------------------

    /** NEW -> RESERVING, then the reserve command for every line (the lines come with the written row). */
    public ReserveStock beginReserve(@Header(ORDER_ID) String orderId, @Header(EPOCH) long epoch, Exchange exchange) {
        Order order = orders.beginReserve(lease(orderId, epoch));
        exchange.setProperty(ROW, order);
        return ReserveStock.of(order.orderId(), order.items().stream()
                .map(l -> new ReserveStock.Line(l.productId(), l.quantity())).toList());
    }

    public SagaAction reserved(@Header(ORDER_ID) String orderId, @Header(EPOCH) long epoch, ReserveReply reply, Exchange exchange) {
        Lease lease = lease(orderId, epoch);
        Verdict verdict = SagaDecisions.reserveAnswer(reply);
        if (verdict instanceof Verdict.Reserved r) {
            // RESERVING -> CHARGING in the same statement: from here on the charge may have been sent
            exchange.setProperty(ROW, orders.recordReservation(lease, r.reservationId(), r.totalAmount(), r.currency(), r.unitPrices()));
        }
        return settle(lease, verdict, exchange);
    }

    // --- step 2: charge payment ----------------------------------------------------------------------

    /** The charge command, from the row the reservation was recorded in (already CHARGING). */
    public ChargePayment chargeCommand(@ExchangeProperty(ROW) Order order) {
        return ChargePayment.of(order.orderId(), order.userId(), order.totalAmount(), order.currency(), order.paymentMethod());
    }

    public SagaAction charged(@Header(ORDER_ID) String orderId, @Header(EPOCH) long epoch, PaymentReply reply, Exchange exchange) {
        return paid(lease(orderId, epoch), SagaDecisions.chargeAnswer(reply), exchange);
    }

    /** Recovery of step 2: what became of the charge whose answer was lost. */
    public GetPayment paymentStatusCommand(@Header(ORDER_ID) String orderId) {
        return GetPayment.of(UUID.fromString(orderId));
    }

    public SagaAction paymentStatus(@Header(ORDER_ID) String orderId, @Header(EPOCH) long epoch, PaymentReply reply, Exchange exchange) {
        return paid(lease(orderId, epoch), SagaDecisions.paymentStatusAnswer(reply), exchange);
    }

    private SagaAction paid(Lease lease, Verdict verdict, Exchange exchange) {
        if (verdict instanceof Verdict.Paid p) {
            // CHARGING -> CONFIRMING: from here on the confirm may have been sent
            exchange.setProperty(ROW, orders.recordPayment(lease, p.paymentId()));
        }
        return settle(lease, verdict, exchange);
    }

    // --- step 3: confirm -----------------------------------------------------------------------------

    public ConfirmReservation confirmCommand(@Header(ORDER_ID) String orderId) {
        return ConfirmReservation.of(UUID.fromString(orderId));
    }

    public SagaAction confirmed(@Header(ORDER_ID) String orderId, @Header(EPOCH) long epoch, @Header(DRIVER) SagaDriver driver,
                                ReservationReply reply, Exchange exchange) {
        Lease lease = lease(orderId, epoch);
        Verdict verdict = SagaDecisions.confirmAnswer(reply, driver);
        if (verdict instanceof Verdict.Confirmed) {
            Order order = orders.confirm(lease);
            exchange.setProperty(ROW, order);
            metrics.finished("confirmed", order.createdAt());
            log.info("order {} confirmed: {} {}", orderId, order.totalAmount(), order.currency());
        }
        return settle(lease, verdict, exchange);
    }

    // --- failures ------------------------------------------------------------------------------------

    /** Recovery of a saga that stopped before its charge: nothing was charged, whatever was reserved is released. */
    public SagaAction interrupt(@Header(ORDER_ID) String orderId, @Header(EPOCH) long epoch, Exchange exchange) {
        return settle(lease(orderId, epoch), new Verdict.Failed(FailureReason.INTERRUPTED), exchange);
    }

    /** Anything unforeseen in a live saga: the order fails as unavailable (best effort; recovery backs it up). */
    public SagaAction unexpected(@Header(ORDER_ID) String orderId, @Header(EPOCH) long epoch,
                                 @ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Throwable cause, Exchange exchange) {
        log.error("order {}: saga failed unexpectedly", orderId, cause);
        try {
            return settle(lease(orderId, epoch), new Verdict.Failed(FailureReason.SERVICE_UNAVAILABLE), exchange);
        } catch (RuntimeException e) {
            log.error("order {}: could not record the failure; the recovery route will settle it: {}", orderId, e.toString());
            return SagaAction.STOP;
        }
    }

    /** Writes a failure (PENDING -> FAILED, fenced) and says where the saga goes next. */
    private SagaAction settle(Lease lease, Verdict verdict, Exchange exchange) {
        if (verdict instanceof Verdict.Failed f) {
            Order order = orders.fail(lease, f.reason());
            exchange.setProperty(ROW, order);
            metrics.finished(FailureReason.outcome(f.reason()), order.createdAt());
            log.info("order {} failed: {}", lease.orderId(), f.reason());
        } else if (verdict instanceof Verdict.Undecided u) {
            log.info("order {}: the answer {} decides nothing; left for the next recovery pass", lease.orderId(), u.answer());
        }
        return verdict.next();
    }

    // --- compensations: decided from the FAILED row, never from memory ----------------------------------

    /** Heartbeat on the FAILED row (fenced), and which compensations it says are due: headers refundDue, releaseDue. */
    public void beginCompensation(@Header(ORDER_ID) String orderId, @Header(EPOCH) long epoch, Exchange exchange) {
        SagaDecisions.Compensations due = SagaDecisions.compensationsDue(orders.beginCompensation(lease(orderId, epoch)));
        exchange.getIn().setHeader("refundDue", due.refund());
        exchange.getIn().setHeader("releaseDue", due.release());
    }

    public RefundPayment refundCommand(@Header(ORDER_ID) String orderId) {
        return RefundPayment.of(UUID.fromString(orderId));
    }

    public void refunded(@Header(ORDER_ID) String orderId, @Header(EPOCH) long epoch, PaymentReply reply) {
        if (SagaDecisions.refundDone(reply)) {
            orders.markRefunded(lease(orderId, epoch));
        } else {
            log.warn("refund of order {} answered {}; the next recovery pass retries it", orderId, reply);
        }
    }

    public ReleaseReservation releaseCommand(@Header(ORDER_ID) String orderId) {
        return ReleaseReservation.of(UUID.fromString(orderId));
    }

    public void released(@Header(ORDER_ID) String orderId, @Header(EPOCH) long epoch, ReservationReply reply) {
        if (SagaDecisions.releaseDone(reply)) {
            orders.markReleased(lease(orderId, epoch));
        } else {
            log.warn("release of order {} answered {}; the next recovery pass retries it", orderId, reply);
        }
    }

    /** COMPENSATING -> COMPENSATED when the row says every compensation is done. */
    public void compensated(@Header(ORDER_ID) String orderId, @Header(EPOCH) long epoch) {
        if (orders.finishCompensation(lease(orderId, epoch)).isPresent()) {
            log.info("order {} compensated", orderId);
        } else {
            log.warn("order {}: compensation incomplete; the recovery route will finish it", orderId);
        }
    }

    private static Lease lease(String orderId, long epoch) {
        return new Lease(UUID.fromString(orderId), epoch);
    }
}
