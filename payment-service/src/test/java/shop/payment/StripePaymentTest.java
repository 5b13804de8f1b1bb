package shop.payment;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import shop.payment.messaging.PaymentReconciler;
import shop.payment.support.PaymentServiceTestSupport;
import shop.payment.support.StripeStub;

/**
 * The service with {@code PAYMENT_PROVIDER=stripe} against a local HTTP stub that speaks Stripe's API (the only
 * stand-in: RabbitMQ and PostgreSQL are real). Covers success, declines, a timeout after Stripe recorded the
 * charge (PENDING, then settled by status or refund through a search that only reads: charged once, or refunded),
 * a charge that never reached Stripe (status and refund create nothing), refunds and their idempotency keys.
 * The stub's search shows an intent at once, so the search lag is 0 here (StripePaymentProviderTest covers it).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        PaymentServiceTestSupport.DB, PaymentServiceTestSupport.NO_BACKGROUND_RECONCILER, PaymentServiceTestSupport.FAST_OUTBOX,
        "shop.payment.provider=stripe", "shop.payment.provider-timeout-ms=1000",
        "shop.payment.stripe.api-key=" + StripeStub.API_KEY, "shop.payment.stripe.search-lag-seconds=0"})
class StripePaymentTest extends PaymentServiceTestSupport {

    static final StripeStub STRIPE = start();

    @Autowired
    PaymentReconciler reconciler;

    static StripeStub start() {
        try {
            return new StripeStub();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @DynamicPropertySource
    static void stripeBase(DynamicPropertyRegistry registry) {
        registry.add("shop.payment.stripe.api-base", STRIPE::baseUrl);
    }

    @AfterAll
    void stopStripe() {
        STRIPE.close();
    }

    @BeforeEach
    void resetStripe() {
        STRIPE.reset();
    }

    @Test
    void successfulChargeCreatesOnePaymentIntentWithTheOrdersIdempotencyKey() {
        UUID orderId = UUID.randomUUID();

        Map<String, Object> reply = charge(orderId, 3998, "pm_card_visa");

        assertThat(reply).containsEntry("status", "COMPLETED");
        List<StripeStub.Request> posts = STRIPE.requests("POST", "/v1/payment_intents");
        assertThat(posts).hasSize(1);
        StripeStub.Request post = posts.get(0);
        assertThat(post.header("Idempotency-Key")).isEqualTo("order-" + orderId);
        assertThat(post.header("Authorization")).isEqualTo("Bearer " + StripeStub.API_KEY);
        assertThat(post.header("Content-Type")).startsWith("application/x-www-form-urlencoded");
        assertThat(post.form()).containsEntry("amount", "3998").containsEntry("currency", "usd")
                .containsEntry("payment_method", "pm_card_visa").containsEntry("confirm", "true")
                .containsEntry("metadata[orderId]", orderId.toString())
                .containsEntry("metadata[paymentId]", (String) reply.get("paymentId"));
        assertThat(paymentRow(orderId)).containsEntry("status", "COMPLETED");
        assertThat(STRIPE.intentStatus((String) paymentRow(orderId).get("provider_ref"))).isEqualTo("succeeded");
        assertThat(awaitEvent("payment.completed", orderId).body()).containsEntry("paymentId", reply.get("paymentId"));

        assertThat(charge(orderId, 3998, "pm_card_visa")).as("repeated").isEqualTo(reply);
        assertThat(STRIPE.requests("POST", "/v1/payment_intents")).as("answered from the database").hasSize(1);
    }

    @ParameterizedTest
    @CsvSource({
            "pm_card_chargeDeclined, generic_decline",
            "pm_card_chargeDeclinedInsufficientFunds, insufficient_funds",
            "pm_card_unknownThing, invalid_payment_method"})
    void declinesAreRecordedFailed(String paymentMethod, String declineCode) {
        UUID orderId = UUID.randomUUID();

        assertThat(charge(orderId, 500, paymentMethod)).containsEntry("status", "DECLINED").containsEntry("declineCode", declineCode);

        assertThat(paymentRow(orderId)).containsEntry("status", "FAILED").containsEntry("decline_code", declineCode);
        assertThat(status(orderId)).containsEntry("status", "FAILED");
        assertThat(refund(orderId)).containsEntry("status", "NOTHING_TO_REFUND");
        assertThat(STRIPE.requests("POST", "/v1/refunds")).isEmpty();
    }

    @Test
    void aTimeoutAfterStripeChargedLeavesThePaymentPendingAndStatusSettlesItWithoutChargingTwice() {
        UUID orderId = UUID.randomUUID();
        STRIPE.holdNextChargeResponse();

        Map<String, Object> reply = charge(orderId, 2500, "pm_card_visa");

        assertThat(reply).containsEntry("status", "PENDING").containsKey("paymentId");
        assertThat(paymentRow(orderId)).containsEntry("status", "PENDING");
        assertThat(STRIPE.intentsCreatedFor("order-" + orderId)).isEqualTo(1);

        assertThat(status(orderId)).containsEntry("status", "COMPLETED").containsEntry("paymentId", reply.get("paymentId"));

        assertThat(STRIPE.intentsCreatedFor("order-" + orderId)).as("charged once").isEqualTo(1);
        assertThat(STRIPE.requests("POST", "/v1/payment_intents")).as("the status lookup posts nothing").hasSize(1);
        assertThat(STRIPE.requests("GET", "/v1/payment_intents/search")).hasSize(1);
        assertThat(paymentRow(orderId)).containsEntry("status", "COMPLETED");
        awaitEvent("payment.completed", orderId);
        assertThat(charge(orderId, 2500, "pm_card_visa")).containsEntry("status", "COMPLETED");
    }

    @Test
    void aTimeoutAfterStripeChargedIsRefundedWhenTheSagaCompensates() {
        UUID orderId = UUID.randomUUID();
        STRIPE.holdNextChargeResponse();
        assertThat(charge(orderId, 2500, "pm_card_visa")).containsEntry("status", "PENDING");

        assertThat(refund(orderId)).containsEntry("status", "REFUNDED");

        String intent = (String) paymentRow(orderId).get("provider_ref");
        assertThat(STRIPE.intentsCreatedFor("order-" + orderId)).isEqualTo(1);
        assertThat(STRIPE.refundsOf(intent)).isEqualTo(1);
        List<StripeStub.Request> refunds = STRIPE.requests("POST", "/v1/refunds");
        assertThat(refunds).hasSize(1);
        assertThat(refunds.get(0).header("Idempotency-Key")).isEqualTo("refund-" + orderId);
        assertThat(refunds.get(0).form()).containsEntry("payment_intent", intent);
        assertThat(paymentRow(orderId)).containsEntry("status", "REFUNDED");
        awaitEvent("payment.refunded", orderId);
        assertThat(charge(orderId, 2500, "pm_card_visa")).containsEntry("status", "REFUSED").containsEntry("reason", "ORDER_COMPENSATED");
    }

    @Test
    void aChargeThatNeverReachedStripeIsCreatedNeitherByStatusNorByRefund() {
        UUID orderId = UUID.randomUUID();
        STRIPE.failNextPosts(1); // answered 500, never processed

        assertThat(charge(orderId, 1200, "pm_card_mastercard")).containsEntry("status", "PENDING");
        assertThat(status(orderId)).as("the last attempt may still end").containsEntry("status", "PENDING");
        assertThat(refund(orderId)).containsEntry("status", "NOTHING_TO_REFUND");

        assertThat(STRIPE.intentsCreatedFor("order-" + orderId)).as("intents at Stripe").isZero();
        assertThat(STRIPE.requests("POST", "/v1/payment_intents")).as("only the failed charge posted").hasSize(1);
        assertThat(STRIPE.requests("POST", "/v1/refunds")).isEmpty();
        assertThat(paymentRow(orderId)).containsEntry("status", "FAILED").containsEntry("decline_code", "not_charged");
        assertThat(charge(orderId, 1200, "pm_card_mastercard")).as("a late charge after the compensation")
                .containsEntry("status", "REFUSED").containsEntry("reason", "ORDER_COMPENSATED");
        assertThat(STRIPE.intentsCreatedFor("order-" + orderId)).isZero();
    }

    @Test
    void refundAfterCompletionIsSentOnceWithTheRefundKey() {
        UUID orderId = UUID.randomUUID();
        charge(orderId, 4200, "pm_card_visa");
        String intent = (String) paymentRow(orderId).get("provider_ref");

        assertThat(refund(orderId)).containsEntry("status", "REFUNDED");
        assertThat(refund(orderId)).containsEntry("status", "REFUNDED");

        assertThat(STRIPE.refundsOf(intent)).isEqualTo(1);
        assertThat(STRIPE.requests("POST", "/v1/refunds")).hasSize(1);
        assertThat(STRIPE.requests("POST", "/v1/refunds").get(0).header("Idempotency-Key")).isEqualTo("refund-" + orderId);
        assertThat((String) paymentRow(orderId).get("refund_ref")).startsWith("re_stub");
        awaitEvent("payment.refunded", orderId);
    }

    @Test
    void aRefundStripeCannotDoNowIsAnsweredPendingAndDoneByTheReconciler() {
        UUID orderId = UUID.randomUUID();
        charge(orderId, 4200, "pm_card_visa");
        STRIPE.failNextPosts(1);

        assertThat(refund(orderId)).containsEntry("status", "PENDING");
        assertThat(paymentRow(orderId)).containsEntry("status", "COMPLETED");
        assertThat(tombstoned(orderId)).isTrue();

        assertThat(reconciler.reconcile()).isEqualTo(1);
        assertThat(paymentRow(orderId)).containsEntry("status", "REFUNDED");
        assertThat(STRIPE.refundsOf((String) paymentRow(orderId).get("provider_ref"))).isEqualTo(1);
        awaitEvent("payment.refunded", orderId);
    }
}
