package shop.order.saga;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.ObjectMapper;

import shop.contracts.inventory.ReservationReply;
import shop.contracts.inventory.ReserveReply;
import shop.contracts.payment.PaymentReply;
import shop.order.domain.FailureReason;
import shop.order.domain.Order;
import shop.order.domain.OrderStatus;
import shop.order.domain.SagaStep;
import shop.order.messaging.CommandRequests;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The saga's decisions without Spring, broker or database: from a row snapshot and a participant's answer to the
 * verdict and the next step. The answers are the participants' replies of docs/messaging.md.
 */
class SagaDecisionsTest {

    static final UUID ID = UUID.randomUUID();
    static final Map<String, Object> UNAVAILABLE = Map.of("status", CommandRequests.UNAVAILABLE);
    static final Map<String, Object> ERROR = Map.of("status", "ERROR", "reason", "PARTICIPANT_ERROR");
    static final Map<String, Object> EXPIRED = Map.of("status", "REFUSED", "orderId", ID.toString(), "reason", "EXPIRED_REQUEST");
    static final Map<String, Object> COMPENSATED = Map.of("status", "REFUSED", "orderId", ID.toString(), "reason", "ORDER_COMPENSATED");

    static Order row(OrderStatus status, SagaStep step, boolean reserveStarted, boolean chargeStarted, boolean released, boolean refunded) {
        return new Order(ID, "u", "h", status, null, step, reserveStarted, chargeStarted, released, refunded, "pm_card_visa",
                "{}", 1000L, "USD", null, null, Instant.now(), Instant.now(), 3, List.of());
    }

    static final ObjectMapper JSON = new ObjectMapper();

    /** The answers as the participant's JSON reads into the reply records: the field names are part of what is tested. */
    static ReserveReply reserve(Map<String, Object> answer) {
        return answer == null ? null : JSON.convertValue(answer, ReserveReply.class);
    }

    static PaymentReply payment(Map<String, Object> answer) {
        return answer == null ? null : JSON.convertValue(answer, PaymentReply.class);
    }

    static ReservationReply reservation(Map<String, Object> answer) {
        return answer == null ? null : JSON.convertValue(answer, ReservationReply.class);
    }

    static Map<String, Object> reply(String status, Object... more) {
        Map<String, Object> reply = new HashMap<>();
        reply.put("status", status);
        reply.put("orderId", ID.toString());
        for (int i = 0; i < more.length; i += 2) {
            reply.put((String) more[i], more[i + 1]);
        }
        return reply;
    }

    @Nested
    class RecoveryResumesFromTheRow {

        @ParameterizedTest
        @CsvSource({
                "PENDING, NEW, INTERRUPT",
                "PENDING, RESERVING, INTERRUPT",
                "PENDING, CHARGING, CHECK_PAYMENT",
                "PENDING, CONFIRMING, CONFIRM",
                "FAILED, COMPENSATING, COMPENSATE",
                "FAILED, COMPENSATED, STOP",
                "CONFIRMED, DONE, STOP"})
        void eachStateHasOneWayOn(OrderStatus status, SagaStep step, SagaAction next) {
            assertThat(SagaDecisions.resume(row(status, step, true, true, false, false))).isEqualTo(next);
        }
    }

    @Nested
    class Reserve {

        @Test
        void reservedRecordsTheReservationAndPricesThenCharges() {
            UUID reservation = UUID.randomUUID();
            Verdict v = SagaDecisions.reserveAnswer(reserve(reply("RESERVED", "reservationId", reservation.toString(), "currency", "USD",
                    "totalAmount", 3998, "items", List.of(Map.of("productId", "SKU-1", "quantity", 2, "unitPrice", 1999)))));

            assertThat(v).isEqualTo(new Verdict.Reserved(reservation, 3998, "USD", Map.of("SKU-1", 1999L)));
            assertThat(v.next()).isEqualTo(SagaAction.CHARGE);
        }

        @ParameterizedTest
        @CsvSource({"OUT_OF_STOCK", "UNKNOWN_PRODUCT", "CURRENCY_MISMATCH"})
        void aRefusalOfTheOrderFailsItWithThatReason(String status) {
            Verdict v = SagaDecisions.reserveAnswer(reserve(reply(status, "productId", "SKU-1")));
            assertThat(v).isEqualTo(new Verdict.Failed(status));
            assertThat(v.next()).isEqualTo(SagaAction.COMPENSATE);
        }

        @Test
        void aFailedCallOrAnExpiredCommandIsUnavailable() {
            assertThat(SagaDecisions.reserveAnswer(reserve(UNAVAILABLE))).isEqualTo(new Verdict.Failed(FailureReason.SERVICE_UNAVAILABLE));
            assertThat(SagaDecisions.reserveAnswer(reserve(EXPIRED))).isEqualTo(new Verdict.Failed(FailureReason.SERVICE_UNAVAILABLE));
            assertThat(SagaDecisions.reserveAnswer(reserve(null))).isEqualTo(new Verdict.Failed(FailureReason.SERVICE_UNAVAILABLE));
        }

        @Test
        void anOrderTheInventoryAlreadyCompensatedIsInterrupted() {
            assertThat(SagaDecisions.reserveAnswer(reserve(COMPENSATED))).isEqualTo(new Verdict.Failed(FailureReason.INTERRUPTED));
        }
    }

    @Nested
    class Charge {

        @Test
        void completedRecordsThePaymentThenConfirms() {
            UUID payment = UUID.randomUUID();
            Verdict v = SagaDecisions.chargeAnswer(payment(reply("COMPLETED", "paymentId", payment.toString())));
            assertThat(v).isEqualTo(new Verdict.Paid(payment));
            assertThat(v.next()).isEqualTo(SagaAction.CONFIRM);
        }

        @Test
        void declinedFailsAsDeclined() {
            assertThat(SagaDecisions.chargeAnswer(payment(reply("DECLINED", "paymentId", UUID.randomUUID().toString(), "declineCode", "generic_decline"))))
                    .isEqualTo(new Verdict.Failed(FailureReason.PAYMENT_DECLINED));
        }

        @Test
        void anUnknownOutcomeOrAFailedCallFailsAsUnavailableAndTheRefundSettlesIt() {
            assertThat(SagaDecisions.chargeAnswer(payment(reply("PENDING", "paymentId", UUID.randomUUID().toString()))))
                    .isEqualTo(new Verdict.Failed(FailureReason.SERVICE_UNAVAILABLE));
            assertThat(SagaDecisions.chargeAnswer(payment(UNAVAILABLE))).isEqualTo(new Verdict.Failed(FailureReason.SERVICE_UNAVAILABLE));
            assertThat(SagaDecisions.chargeAnswer(payment(EXPIRED))).isEqualTo(new Verdict.Failed(FailureReason.SERVICE_UNAVAILABLE));
        }

        @Test
        void aChargeRefusedForACompensatedOrderIsInterrupted() {
            assertThat(SagaDecisions.chargeAnswer(payment(COMPENSATED))).isEqualTo(new Verdict.Failed(FailureReason.INTERRUPTED));
        }
    }

    @Nested
    class RecoveryAsksForThePayment {

        @Test
        void completedGoesForward() {
            UUID payment = UUID.randomUUID();
            assertThat(SagaDecisions.paymentStatusAnswer(payment(reply("COMPLETED", "paymentId", payment.toString()))))
                    .isEqualTo(new Verdict.Paid(payment));
        }

        @Test
        void aDeclineIsDeclinedAndNoChargeAtTheProviderIsInterrupted() {
            assertThat(SagaDecisions.paymentStatusAnswer(payment(reply("FAILED", "declineCode", "generic_decline"))))
                    .isEqualTo(new Verdict.Failed(FailureReason.PAYMENT_DECLINED));
            assertThat(SagaDecisions.paymentStatusAnswer(payment(reply("FAILED", "declineCode", PaymentReply.NOT_CHARGED))))
                    .isEqualTo(new Verdict.Failed(FailureReason.INTERRUPTED));
        }

        @Test
        void noPaymentOrOneRefundedFailsTheOrder() {
            assertThat(SagaDecisions.paymentStatusAnswer(payment(reply("NONE")))).isEqualTo(new Verdict.Failed(FailureReason.INTERRUPTED));
            assertThat(SagaDecisions.paymentStatusAnswer(payment(reply("REFUNDED", "paymentId", UUID.randomUUID().toString()))))
                    .isEqualTo(new Verdict.Failed(FailureReason.INTERRUPTED));
        }

        @Test
        void anOutcomeStillUnknownAnErrorOrNoAnswerLeavesTheRowForTheNextPass() {
            for (Map<String, Object> answer : List.of(reply("PENDING", "paymentId", UUID.randomUUID().toString()), UNAVAILABLE, ERROR, EXPIRED)) {
                Verdict v = SagaDecisions.paymentStatusAnswer(payment(answer));
                assertThat(v).as(answer.toString()).isInstanceOf(Verdict.Undecided.class);
                assertThat(v.next()).isEqualTo(SagaAction.STOP);
            }
        }
    }

    @Nested
    class Confirm {

        @Test
        void confirmedEndsTheSagaForEitherDriver() {
            for (SagaDriver driver : SagaDriver.values()) {
                Verdict v = SagaDecisions.confirmAnswer(reservation(reply("CONFIRMED", "reservationId", UUID.randomUUID().toString())), driver);
                assertThat(v).isEqualTo(new Verdict.Confirmed());
                assertThat(v.next()).isEqualTo(SagaAction.STOP);
            }
        }

        @ParameterizedTest
        @CsvSource({"EXPIRED", "RELEASED", "NONE"})
        void onlyAReservationDefinitelyNotHeldIsExpired(String reservationStatus) {
            for (SagaDriver driver : SagaDriver.values()) {
                assertThat(SagaDecisions.confirmAnswer(reservation(reply("NOT_HELD", "reservationStatus", reservationStatus)), driver))
                        .isEqualTo(new Verdict.Failed(FailureReason.RESERVATION_EXPIRED));
            }
        }

        @Test
        void aHiccupFailsALiveOrderAsUnavailable() {
            for (Map<String, Object> answer : List.of(UNAVAILABLE, ERROR, EXPIRED)) {
                assertThat(SagaDecisions.confirmAnswer(reservation(answer), SagaDriver.LIVE)).isEqualTo(new Verdict.Failed(FailureReason.SERVICE_UNAVAILABLE));
            }
        }

        @Test
        void aHiccupLeavesARecoveredOrderAsItIs() {
            for (Map<String, Object> answer : List.of(UNAVAILABLE, ERROR, EXPIRED)) {
                assertThat(SagaDecisions.confirmAnswer(reservation(answer), SagaDriver.RECOVERY)).as(answer.toString()).isInstanceOf(Verdict.Undecided.class);
            }
        }
    }

    @Nested
    class Compensations {

        @Test
        void aFailedRowGetsTheCompensationsOfTheStepsItBeganNotYetDone() {
            assertThat(SagaDecisions.compensationsDue(row(OrderStatus.FAILED, SagaStep.COMPENSATING, true, true, false, false)))
                    .isEqualTo(new SagaDecisions.Compensations(true, true));
            assertThat(SagaDecisions.compensationsDue(row(OrderStatus.FAILED, SagaStep.COMPENSATING, true, false, false, false)))
                    .isEqualTo(new SagaDecisions.Compensations(false, true));
            assertThat(SagaDecisions.compensationsDue(row(OrderStatus.FAILED, SagaStep.COMPENSATING, true, true, false, true)))
                    .isEqualTo(new SagaDecisions.Compensations(false, true));
            assertThat(SagaDecisions.compensationsDue(row(OrderStatus.FAILED, SagaStep.COMPENSATING, true, true, true, true)))
                    .isEqualTo(new SagaDecisions.Compensations(false, false));
            assertThat(SagaDecisions.compensationsDue(row(OrderStatus.FAILED, SagaStep.COMPENSATING, false, false, false, false)))
                    .isEqualTo(new SagaDecisions.Compensations(false, false));
        }

        @Test
        void aConfirmedOrPendingRowIsNeverCompensated() {
            assertThat(SagaDecisions.compensationsDue(row(OrderStatus.CONFIRMED, SagaStep.DONE, true, true, false, false)))
                    .isEqualTo(new SagaDecisions.Compensations(false, false));
            assertThat(SagaDecisions.compensationsDue(row(OrderStatus.PENDING, SagaStep.CONFIRMING, true, true, false, false)))
                    .isEqualTo(new SagaDecisions.Compensations(false, false));
            assertThat(SagaDecisions.compensationsDue(row(OrderStatus.FAILED, SagaStep.COMPENSATED, true, true, false, false)))
                    .isEqualTo(new SagaDecisions.Compensations(false, false));
        }

        @Test
        void aCompensationIsDoneOnlyOnItsDefinitiveAnswers() {
            assertThat(SagaDecisions.refundDone(payment(reply("REFUNDED")))).isTrue();
            assertThat(SagaDecisions.refundDone(payment(reply("NOTHING_TO_REFUND")))).isTrue();
            assertThat(SagaDecisions.refundDone(payment(reply("PENDING")))).isFalse();
            assertThat(SagaDecisions.refundDone(payment(ERROR))).isFalse();
            assertThat(SagaDecisions.refundDone(payment(UNAVAILABLE))).isFalse();
            assertThat(SagaDecisions.releaseDone(reservation(reply("RELEASED")))).isTrue();
            assertThat(SagaDecisions.releaseDone(reservation(ERROR))).isFalse();
            assertThat(SagaDecisions.releaseDone(reservation(UNAVAILABLE))).isFalse();
        }
    }
}
