package shop.order.saga;

import java.util.LinkedHashMap;
import java.util.Map;

import shop.contracts.Reply;
import shop.contracts.inventory.ReservationReply;
import shop.contracts.inventory.ReserveReply;
import shop.contracts.payment.PaymentReply;
import shop.order.domain.FailureReason;
import shop.order.domain.Order;
import shop.order.domain.OrderStatus;
import shop.order.domain.SagaStep;
import shop.order.messaging.CommandRequests;

/**
 * The decisions of the order saga, as pure functions of the order's row and the participants' answers (the
 * reply records of {@code shop.contracts}, status {@link CommandRequests#UNAVAILABLE} when a call failed, timed out or
 * its breaker is open). No state of their own: {@link OrderSaga} writes what they decide, fenced, and the route
 * ({@code order-saga.yaml}) goes where {@link SagaAction} says.
 */
public final class SagaDecisions {

    /** Where an order that recovery took over goes on, from its row alone. */
    public static SagaAction resume(Order row) {
        if (row.status() == OrderStatus.FAILED) {
            return row.sagaStep() == SagaStep.COMPENSATING ? SagaAction.COMPENSATE : SagaAction.STOP;
        }
        if (row.status() != OrderStatus.PENDING) {
            return SagaAction.STOP;
        }
        return switch (row.sagaStep()) {
            // the reserve may or may not have happened; nothing is charged: fail, and the release settles it
            case NEW, RESERVING -> SagaAction.INTERRUPT;
            // the charge may have happened: only the payment service knows
            case CHARGING -> SagaAction.CHECK_PAYMENT;
            // paid: the confirm is idempotent, send it (again)
            case CONFIRMING -> SagaAction.CONFIRM;
            case DONE, COMPENSATING, COMPENSATED -> SagaAction.STOP;
        };
    }

    /** The answer to {@code inventory.reserve}. */
    public static Verdict reserveAnswer(ReserveReply reply) {
        return switch (status(reply)) {
            case ReserveReply.RESERVED -> {
                Map<String, Long> prices = new LinkedHashMap<>();
                reply.items().forEach(line -> prices.put(line.productId(), line.unitPrice()));
                yield new Verdict.Reserved(reply.reservationId(), reply.totalAmount(), reply.currency(), prices);
            }
            case ReserveReply.OUT_OF_STOCK, ReserveReply.UNKNOWN_PRODUCT, ReserveReply.CURRENCY_MISMATCH ->
                    new Verdict.Failed(status(reply));
            case CommandRequests.UNAVAILABLE -> new Verdict.Failed(FailureReason.SERVICE_UNAVAILABLE);
            case Reply.REFUSED -> refused(reply);
            default -> new Verdict.Failed(FailureReason.INTERRUPTED);
        };
    }

    /** The answer to {@code payment.charge}. */
    public static Verdict chargeAnswer(PaymentReply reply) {
        return switch (status(reply)) {
            case PaymentReply.COMPLETED -> new Verdict.Paid(reply.paymentId());
            case PaymentReply.DECLINED -> new Verdict.Failed(FailureReason.PAYMENT_DECLINED);
            // PENDING: the provider's outcome is unknown; the refund compensation settles it with the provider
            case PaymentReply.PENDING, CommandRequests.UNAVAILABLE -> new Verdict.Failed(FailureReason.SERVICE_UNAVAILABLE);
            case Reply.REFUSED -> refused(reply);
            default -> new Verdict.Failed(FailureReason.INTERRUPTED);
        };
    }

    /**
     * Recovery's answer to {@code payment.status} for an order whose charge answer was lost. Only a definitive
     * answer moves the order: COMPLETED goes forward; FAILED, NONE or REFUNDED (nothing charged, or given back)
     * fail it - the refund's tombstone then refuses a charge still on its way. PENDING, an error or no answer
     * leave it for the next pass.
     */
    public static Verdict paymentStatusAnswer(PaymentReply reply) {
        return switch (status(reply)) {
            case PaymentReply.COMPLETED -> new Verdict.Paid(reply.paymentId());
            case PaymentReply.FAILED -> new Verdict.Failed(PaymentReply.NOT_CHARGED.equals(reply.declineCode())
                    ? FailureReason.INTERRUPTED : FailureReason.PAYMENT_DECLINED);
            case PaymentReply.NONE, PaymentReply.REFUNDED -> new Verdict.Failed(FailureReason.INTERRUPTED);
            default -> new Verdict.Undecided(String.valueOf(reply));
        };
    }

    /**
     * The answer to {@code inventory.confirm}. NOT_HELD (the reservation expired, was released or never made) is
     * definitive. Anything else that is not CONFIRMED fails a live order as unavailable (the customer is waiting:
     * 503) and leaves a recovered one for the next pass.
     */
    public static Verdict confirmAnswer(ReservationReply reply, SagaDriver driver) {
        return switch (status(reply)) {
            case ReservationReply.CONFIRMED -> new Verdict.Confirmed();
            case ReservationReply.NOT_HELD -> new Verdict.Failed(FailureReason.RESERVATION_EXPIRED);
            default -> driver == SagaDriver.LIVE
                    ? new Verdict.Failed(FailureReason.SERVICE_UNAVAILABLE)
                    : new Verdict.Undecided(String.valueOf(reply));
        };
    }

    /** {@code payment.refund} is done when nothing of the charge is held any more; PENDING or an error is retried. */
    public static boolean refundDone(PaymentReply reply) {
        String status = status(reply);
        return status.equals(PaymentReply.REFUNDED) || status.equals(PaymentReply.NOTHING_TO_REFUND);
    }

    /** {@code inventory.release} always answers RELEASED when it did its work. */
    public static boolean releaseDone(ReservationReply reply) {
        return status(reply).equals(ReservationReply.RELEASED);
    }

    /** The compensations a row says are due: only for a FAILED order, only for the steps it began, not yet done. */
    public static Compensations compensationsDue(Order row) {
        if (row.status() != OrderStatus.FAILED || row.sagaStep() != SagaStep.COMPENSATING) {
            return new Compensations(false, false);
        }
        return new Compensations(row.chargeStarted() && !row.refunded(), row.reserveStarted() && !row.released());
    }

    /** Which compensations to run, newest step first: refund, then release. */
    public record Compensations(boolean refund, boolean release) {
    }

    /** REFUSED: the participant already compensated this order (ORDER_COMPENSATED) or the command expired. */
    private static Verdict refused(Reply reply) {
        return Reply.EXPIRED_REQUEST.equals(reply.reason())
                ? new Verdict.Failed(FailureReason.SERVICE_UNAVAILABLE)
                : new Verdict.Failed(FailureReason.INTERRUPTED);
    }

    private static String status(Reply reply) {
        return reply == null ? CommandRequests.UNAVAILABLE : String.valueOf(reply.status());
    }

    private SagaDecisions() {
    }
}
