package shop.payment.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.web.client.RestClient;

import shop.payment.support.StripeStub;

/** The Stripe adapter on its own against the Stripe stub: error mapping, timeouts, lookups that only read. */
class StripePaymentProviderTest {

    static StripeStub stripe;

    @BeforeAll
    static void startStub() throws Exception {
        stripe = new StripeStub();
    }

    @AfterAll
    static void stopStub() {
        stripe.close();
    }

    @AfterEach
    void reset() {
        stripe.reset();
    }

    private static StripePaymentProvider provider(String apiKey) {
        RestClient client = StripePaymentProvider.client(RestClient.builder(), stripe.baseUrl(), apiKey, "2024-06-20", Duration.ofMillis(500));
        return new StripePaymentProvider(client, new ObjectMapper());
    }

    private static ChargeRequest request(String paymentMethod) {
        UUID orderId = UUID.randomUUID();
        return new ChargeRequest("order-" + orderId, 1999, "EUR", paymentMethod, Map.of("orderId", orderId.toString()));
    }

    @Test
    void chargeSucceedsAndSendsTheApiVersion() {
        ProviderResult result = provider(StripeStub.API_KEY).charge(request("pm_card_visa"));

        assertThat(result.succeeded()).isTrue();
        assertThat(result.providerRef()).startsWith("pi_stub");
        assertThat(stripe.requests().get(0).header("Stripe-Version")).isEqualTo("2024-06-20");
        assertThat(stripe.requests().get(0).form()).containsEntry("currency", "eur").containsEntry("payment_method_types[]", "card");
    }

    @Test
    void aDeclineIsAResultWithStripesDeclineCodeAndIntent() {
        ProviderResult result = provider(StripeStub.API_KEY).charge(request("pm_card_chargeDeclinedInsufficientFunds"));

        assertThat(result.status()).isEqualTo(ProviderResult.Status.DECLINED);
        assertThat(result.declineCode()).isEqualTo("insufficient_funds");
        assertThat(result.providerRef()).startsWith("pi_stub");
    }

    @Test
    void aWrongApiKeyIsARejectionNotADecline() {
        assertThatThrownBy(() -> provider("sk_test_wrong").charge(request("pm_card_visa")))
                .isInstanceOf(ProviderRejectedException.class).hasMessageContaining("401");
    }

    @Test
    void aTimeoutIsAnUnknownOutcomeAndTheLookupFindsTheRecordedChargeBySearchingTheOrdersMetadata() {
        StripePaymentProvider provider = provider(StripeStub.API_KEY);
        ChargeRequest request = request("pm_card_visa");
        stripe.holdNextChargeResponse();

        assertThatThrownBy(() -> provider.charge(request)).isInstanceOf(ProviderUnavailableException.class);

        Optional<ProviderResult> found = provider.lookup(request, Instant.now());
        assertThat(found).hasValueSatisfying(r -> assertThat(r.succeeded()).isTrue());
        assertThat(stripe.intentsCreatedFor(request.idempotencyKey())).isEqualTo(1);
        assertThat(stripe.requests("POST", "/v1/payment_intents")).as("only the charge posts").hasSize(1);
        assertThat(stripe.requests("GET", "/v1/payment_intents/search")).singleElement()
                .satisfies(r -> assertThat(r.form()).containsEntry("query", "metadata['orderId']:'" + request.metadata().get("orderId") + "'"));
    }

    @Test
    void aLookupForAChargeThatNeverArrivedCreatesNothing() {
        StripePaymentProvider provider = provider(StripeStub.API_KEY);
        ChargeRequest request = request("pm_card_visa");
        stripe.failNextPosts(1); // the charge is answered 500 and never processed
        assertThatThrownBy(() -> provider.charge(request)).isInstanceOf(ProviderUnavailableException.class);

        // within the search's lag "none found" is not an answer yet; after it, it is
        assertThatThrownBy(() -> provider.lookup(request, Instant.now())).isInstanceOf(ProviderUnavailableException.class)
                .hasMessageContaining("search");
        assertThat(provider.lookup(request, Instant.now().minus(StripePaymentProvider.DEFAULT_SEARCH_LAG).minusSeconds(1))).isEmpty();

        assertThat(stripe.intentsCreatedFor(request.idempotencyKey())).as("intents at Stripe").isZero();
        assertThat(stripe.requests("POST", "/v1/payment_intents")).as("only the failed charge posted").hasSize(1);
        assertThat(stripe.requests("GET", "/v1/payment_intents/search")).hasSize(2);
    }

    @Test
    void aLookupReadsADeclineAndIgnoresAnotherKeyOfTheSameOrder() {
        StripePaymentProvider provider = provider(StripeStub.API_KEY);
        ChargeRequest declined = request("pm_card_chargeDeclined");
        String intent = provider.charge(declined).providerRef();
        ChargeRequest otherKey = new ChargeRequest("other-key", declined.amount(), declined.currency(), "pm_card_visa", declined.metadata());
        Instant longAgo = Instant.now().minus(Duration.ofHours(30));
        int postsBefore = stripe.requests("POST", "/v1/payment_intents").size();

        assertThat(provider.lookup(declined, longAgo)).hasValue(ProviderResult.declined(intent, "generic_decline"));
        assertThat(provider.lookup(otherKey, longAgo)).isEmpty();
        assertThat(stripe.requests("POST", "/v1/payment_intents")).hasSize(postsBefore);
    }

    @Test
    void a5xxIsAnUnknownOutcome() {
        stripe.failNextPosts(1);
        assertThatThrownBy(() -> provider(StripeStub.API_KEY).charge(request("pm_card_visa")))
                .isInstanceOf(ProviderUnavailableException.class).hasMessageContaining("500");
    }

    @Test
    void aKeyReusedWithOtherParametersIsRejected() {
        StripePaymentProvider provider = provider(StripeStub.API_KEY);
        ChargeRequest request = request("pm_card_visa");
        provider.charge(request);

        ChargeRequest changed = new ChargeRequest(request.idempotencyKey(), 1, "EUR", "pm_card_visa", request.metadata());
        assertThatThrownBy(() -> provider.charge(changed)).isInstanceOf(ProviderRejectedException.class)
                .hasMessageContaining("idempotency_error");
    }

    @Test
    void aLookupLongAfterTheChargeSearchesToo() {
        StripePaymentProvider provider = provider(StripeStub.API_KEY);
        ChargeRequest charged = request("pm_card_visa");
        String intent = provider.charge(charged).providerRef();
        Instant longAgo = Instant.now().minus(Duration.ofHours(30));
        int postsBefore = stripe.requests("POST", "/v1/payment_intents").size();

        assertThat(provider.lookup(charged, longAgo)).hasValue(ProviderResult.succeeded(intent));
        assertThat(provider.lookup(request("pm_card_visa"), longAgo)).isEmpty();
        assertThat(stripe.requests("POST", "/v1/payment_intents")).hasSize(postsBefore);
        assertThat(stripe.requests("GET", "/v1/payment_intents/search")).hasSize(2);
    }

    @Test
    void refundingAnAlreadyRefundedIntentCountsAsRefunded() {
        StripePaymentProvider provider = provider(StripeStub.API_KEY);
        String intent = provider.charge(request("pm_card_visa")).providerRef();

        assertThat(provider.refund(intent, "refund-a").refundRef()).startsWith("re_stub");
        assertThat(provider.refund(intent, "refund-b")).isNotNull();
        assertThat(stripe.refundsOf(intent)).isEqualTo(1);
    }

    @Test
    void refundingAnUnknownIntentIsRejected() {
        assertThatThrownBy(() -> provider(StripeStub.API_KEY).refund("pi_nope", "refund-x"))
                .isInstanceOf(ProviderRejectedException.class);
    }

    @Test
    void aMissingApiKeyStopsTheStart() {
        assertThatThrownBy(() -> StripePaymentProvider.client(RestClient.builder(), stripe.baseUrl(), " ", "", Duration.ofSeconds(1)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("STRIPE_API_KEY");
    }
}
