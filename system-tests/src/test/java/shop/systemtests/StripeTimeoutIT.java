package shop.systemtests;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import shop.payment.support.StripeStub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The dangerous case: the provider charged, but its answer never arrived in time. The payment service runs
 * with {@code PAYMENT_PROVIDER=stripe} against a local stub of Stripe's API that records the charge and then
 * holds its answer. The saga must settle the payment's true state and refund it - charged once, refunded once.
 */
class StripeTimeoutIT extends SystemTest {

    @Test
    void aChargeWhoseAnswerIsLostIsSettledAndRefundedOnce() throws Exception {
        String sku = Shop.uniqueSku("STRIPE");
        shop.stock(sku, 4200, 10);
        try (StripeStub stripe = new StripeStub()) {
            system.payments.kill();
            ServiceProcess stripePayments = system.service("payment-service", FreePorts.find(1), system.logs(), Map.of(
                    "PAYMENT_PROVIDER", "stripe", "STRIPE_API_BASE", stripe.baseUrl(), "STRIPE_API_KEY", StripeStub.API_KEY));
            try {
                stripePayments.start();
                stripePayments.awaitReady();
                stripe.holdNextChargeResponse();

                HttpResponse<String> response = shop.place("stripe-user", Shop.order("pm_card_visa", sku, 2));

                assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
                stripe.releaseHeld();
                String orderId = (String) system.query("order-service",
                        "SELECT order_id::text AS id FROM orders WHERE user_id = 'stripe-user'").get(0).get("id");
                await("payment settled and refunded").atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                    List<Map<String, Object>> payments = system.query("payment-service",
                            "SELECT status, provider_ref FROM payments WHERE order_id = ?::uuid", orderId);
                    assertThat(payments).singleElement().satisfies(p -> assertThat(p).containsEntry("status", "REFUNDED"));
                });
                String intent = (String) system.query("payment-service",
                        "SELECT provider_ref FROM payments WHERE order_id = ?::uuid", orderId).get(0).get("provider_ref");
                assertThat(stripe.intentsCreatedFor("order-" + orderId)).as("charges at the provider").isEqualTo(1);
                assertThat(stripe.refundsOf(intent)).as("refunds at the provider").isEqualTo(1);
                new Invariants(system).awaitAllSagasFinished(Duration.ofSeconds(60));
                assertThat(shop.product(sku).get("available").asInt()).isEqualTo(10);
                assertThat(shop.product(sku).get("reserved").asInt()).isZero();
            } finally {
                stripe.releaseHeld();
                stripePayments.stop();
                system.payments.start();
                system.payments.awaitReady();
            }
        }
    }
}
