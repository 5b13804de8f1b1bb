package shop.payment;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

import shop.payment.messaging.PaymentReconciler;
import shop.payment.payment.Payment;
import shop.payment.payment.PaymentSettlement;
import shop.payment.payment.PaymentStore;
import shop.payment.provider.PaymentProvider;
import shop.payment.provider.ProviderResult;
import shop.payment.support.PaymentServiceTestSupport;
import shop.platform.testing.Concurrently;

/**
 * payment.charge / payment.refund / payment.status over the real RabbitMQ against the real PostgreSQL, with the
 * built-in simulator as provider: replies, database state and the events on shop.events; and the operators'
 * {@code GET /payments}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        PaymentServiceTestSupport.DB, PaymentServiceTestSupport.NO_BACKGROUND_RECONCILER,
        PaymentServiceTestSupport.FAST_OUTBOX, "shop.payment.provider=simulator"})
class PaymentServiceTest extends PaymentServiceTestSupport {

    @Autowired
    PaymentProvider provider;
    @Autowired
    PaymentStore store;
    @Autowired
    PaymentSettlement settlement;
    @Autowired
    PaymentReconciler reconciler;
    @Autowired
    MeterRegistry meters;
    @Autowired
    TestRestTemplate http;

    // ---- charge ----

    @Test
    void visaChargeCompletesRecordsOnePaymentAndPublishesPaymentCompleted() {
        UUID orderId = UUID.randomUUID();
        double completedBefore = counter("shop.payment.charges", "outcome", "completed");

        Map<String, Object> reply = charge(orderId, 3998, "pm_card_visa");

        assertThat(reply).containsEntry("status", "COMPLETED").containsEntry("orderId", orderId.toString());
        String paymentId = (String) reply.get("paymentId");
        assertThat(UUID.fromString(paymentId)).isNotNull();

        Map<String, Object> row = paymentRow(orderId);
        assertThat(row).containsEntry("payment_id", UUID.fromString(paymentId)).containsEntry("status", "COMPLETED")
                .containsEntry("amount", 3998L).containsEntry("currency", "USD").containsEntry("user_id", "user-42")
                .containsEntry("payment_method", "pm_card_visa").containsEntry("idempotency_key", "order-" + orderId);
        assertThat((String) row.get("provider_ref")).startsWith("sim_ch_");
        assertThat(count("payments")).isEqualTo(1);
        assertThat(jdbc.queryForList("SELECT status FROM simulator_charges WHERE idempotency_key = ?", String.class, "order-" + orderId))
                .containsExactly("succeeded");

        Received event = awaitEvent("payment.completed", orderId);
        assertThat(event.body()).containsEntry("type", "payment.completed").containsEntry("schemaVersion", 1)
                .containsEntry("paymentId", paymentId).containsEntry("orderId", orderId.toString())
                .containsEntry("amount", 3998).containsEntry("currency", "USD")
                .containsOnlyKeys("messageId", "type", "occurredAt", "schemaVersion", "paymentId", "orderId", "amount", "currency");
        assertThat(UUID.fromString((String) event.get("messageId"))).isNotNull();
        assertThat(Instant.parse((String) event.get("occurredAt"))).isBefore(Instant.now().plusSeconds(1));
        assertThat(event.properties().getMessageId()).isEqualTo(event.get("messageId"));
        assertThat(event.properties().getReceivedRoutingKey()).isEqualTo("payment.completed");
        assertThat(event.properties().getReceivedDeliveryMode()).hasToString("PERSISTENT");
        assertThat(counter("shop.payment.charges", "outcome", "completed")).isEqualTo(completedBefore + 1);
    }

    @Test
    void mastercardChargeCompletes() {
        UUID orderId = UUID.randomUUID();
        assertThat(charge(orderId, 100, "pm_card_mastercard")).containsEntry("status", "COMPLETED");
        assertThat(paymentRow(orderId)).containsEntry("status", "COMPLETED");
    }

    @Test
    void repeatedChargeAnswersTheSamePaymentAndChargesOnce() {
        UUID orderId = UUID.randomUUID();
        Map<String, Object> first = charge(orderId, 1500, "pm_card_visa");
        Map<String, Object> second = charge(orderId, 1500, "pm_card_visa");

        assertThat(second).isEqualTo(first);
        assertChargedOnce(orderId);
    }

    @Test
    void concurrentDuplicateChargesChargeOnce() throws Exception {
        UUID orderId = UUID.randomUUID();
        List<Map<String, Object>> replies = Concurrently.run(4, i -> charge(orderId, 2500, "pm_card_visa"));

        assertThat(replies).allSatisfy(r -> assertThat(r).containsEntry("status", "COMPLETED"));
        assertThat(replies.stream().map(r -> r.get("paymentId")).distinct()).hasSize(1);
        assertChargedOnce(orderId);
    }

    /** One payment, one simulator charge and, once the outbox is flushed, one payment.completed. */
    private void assertChargedOnce(UUID orderId) {
        assertThat(paymentsOf(orderId)).isEqualTo(1);
        assertThat(count("simulator_charges")).isEqualTo(1);
        awaitEvent("payment.completed", orderId);
        awaitOutboxFlushed();
        assertThat(eventsOf("payment.completed", orderId)).hasSize(1);
    }

    @ParameterizedTest
    @CsvSource({
            "pm_card_chargeDeclined, generic_decline",
            "pm_card_chargeDeclinedInsufficientFunds, insufficient_funds",
            "pm_card_doesNotExist, invalid_payment_method"})
    void declinedChargeIsRecordedFailedWithoutEvent(String paymentMethod, String declineCode) {
        UUID orderId = UUID.randomUUID();

        Map<String, Object> reply = charge(orderId, 999, paymentMethod);

        assertThat(reply).containsEntry("status", "DECLINED").containsEntry("orderId", orderId.toString())
                .containsEntry("declineCode", declineCode).containsKey("paymentId");
        assertThat(paymentRow(orderId)).containsEntry("status", "FAILED").containsEntry("decline_code", declineCode);
        assertThat(charge(orderId, 999, paymentMethod)).as("repeated").isEqualTo(reply);
        assertThat(count("simulator_charges")).isEqualTo(1);
        assertThat(status(orderId)).containsEntry("status", "FAILED").containsEntry("declineCode", declineCode);
        awaitOutboxFlushed();
        assertThat(eventsOf("payment.completed", orderId)).isEmpty();
    }

    // ---- refund ----

    @Test
    void refundAfterCompletionRefundsOncePublishesPaymentRefundedAndRefusesALaterCharge() {
        UUID orderId = UUID.randomUUID();
        Map<String, Object> charged = charge(orderId, 4200, "pm_card_visa");

        Map<String, Object> refunded = refund(orderId);

        assertThat(refunded).containsEntry("status", "REFUNDED").containsEntry("orderId", orderId.toString())
                .containsEntry("paymentId", charged.get("paymentId"));
        assertThat(paymentRow(orderId)).containsEntry("status", "REFUNDED");
        assertThat((String) paymentRow(orderId).get("refund_ref")).startsWith("sim_re_");
        assertThat(jdbc.queryForObject("SELECT status FROM simulator_charges WHERE idempotency_key = ?", String.class, "order-" + orderId))
                .isEqualTo("refunded");
        assertThat(tombstoned(orderId)).isTrue();
        Received event = awaitEvent("payment.refunded", orderId);
        assertThat(event.body()).containsEntry("paymentId", charged.get("paymentId")).containsEntry("amount", 4200)
                .containsEntry("currency", "USD").containsEntry("schemaVersion", 1).containsKeys("messageId", "occurredAt");

        assertThat(refund(orderId)).as("refund is idempotent").containsEntry("status", "REFUNDED");
        assertThat(charge(orderId, 4200, "pm_card_visa")).containsEntry("status", "REFUSED")
                .containsEntry("reason", "ORDER_COMPENSATED").containsEntry("orderId", orderId.toString());
        assertThat(status(orderId)).containsEntry("status", "REFUNDED");
        assertThat(count("simulator_charges")).isEqualTo(1);
        awaitOutboxFlushed();
        assertThat(eventsOf("payment.refunded", orderId)).hasSize(1);
    }

    @Test
    void refundBeforeChargeLeavesATombstoneSoTheChargeIsRefusedAndNothingCharged() {
        UUID orderId = UUID.randomUUID();

        assertThat(refund(orderId)).containsEntry("status", "NOTHING_TO_REFUND").containsEntry("orderId", orderId.toString());
        assertThat(refund(orderId)).as("idempotent").containsEntry("status", "NOTHING_TO_REFUND");
        assertThat(tombstoned(orderId)).isTrue();

        assertThat(charge(orderId, 1000, "pm_card_visa")).containsEntry("status", "REFUSED").containsEntry("reason", "ORDER_COMPENSATED");
        assertThat(paymentsOf(orderId)).isZero();
        assertThat(count("simulator_charges")).isZero();
        assertThat(status(orderId)).containsEntry("status", "NONE");
    }

    @Test
    void refundOfADeclinedPaymentHasNothingToRefund() {
        UUID orderId = UUID.randomUUID();
        charge(orderId, 1000, "pm_card_chargeDeclined");
        assertThat(refund(orderId)).containsEntry("status", "NOTHING_TO_REFUND");
        assertThat(paymentRow(orderId)).containsEntry("status", "FAILED");
    }

    // ---- status and settlement of PENDING payments ----

    @Test
    void statusAnswersNoneCompletedAndRefunded() {
        UUID orderId = UUID.randomUUID();
        assertThat(status(orderId)).as("no paymentId at all, not null")
                .isEqualTo(Map.of("status", "NONE", "orderId", orderId.toString()));
        Map<String, Object> charged = charge(orderId, 700, "pm_card_visa");
        assertThat(charged).containsOnlyKeys("status", "orderId", "paymentId");
        assertThat(status(orderId)).isEqualTo(Map.of("status", "COMPLETED", "orderId", orderId.toString(),
                "paymentId", charged.get("paymentId")));
        refund(orderId);
        assertThat(status(orderId)).containsEntry("status", "REFUNDED");
    }

    @Test
    void statusSettlesAPendingPaymentTheProviderCharged() {
        // the service stopped between the provider's charge and recording it
        UUID orderId = UUID.randomUUID();
        Payment pending = insertPending(orderId, 1234, "pm_card_visa");
        assertThat(provider.charge(pending.chargeRequest()).succeeded()).isTrue();

        assertThat(status(orderId)).containsEntry("status", "COMPLETED").containsEntry("paymentId", pending.paymentId().toString());
        assertThat(paymentRow(orderId)).containsEntry("status", "COMPLETED");
        assertThat(awaitEvent("payment.completed", orderId).body()).containsEntry("amount", 1234);
        assertThat(charge(orderId, 1234, "pm_card_visa")).containsEntry("status", "COMPLETED");
        assertThat(count("simulator_charges")).isEqualTo(1);
    }

    @Test
    void statusKeepsAYoungPendingPaymentPendingAndFailsItOnceTheChargeCallMustHaveEnded() {
        UUID orderId = UUID.randomUUID();
        insertPending(orderId, 500, "pm_card_visa");

        assertThat(status(orderId)).containsEntry("status", "PENDING");
        assertThat(paymentRow(orderId)).containsEntry("status", "PENDING");

        jdbc.update("UPDATE payments SET created_at = now() - interval '1 minute', updated_at = now() - interval '1 minute' WHERE order_id = ?", orderId);
        assertThat(status(orderId)).containsEntry("status", "FAILED").containsEntry("declineCode", "not_charged");
        assertThat(count("simulator_charges")).isZero();
    }

    @Test
    void refundSettlesAPendingPaymentTheProviderChargedByRefundingIt() {
        UUID orderId = UUID.randomUUID();
        Payment pending = insertPending(orderId, 3000, "pm_card_visa");
        provider.charge(pending.chargeRequest());

        assertThat(refund(orderId)).containsEntry("status", "REFUNDED");
        assertThat(paymentRow(orderId)).containsEntry("status", "REFUNDED");
        assertThat(jdbc.queryForObject("SELECT status FROM simulator_charges", String.class)).isEqualTo("refunded");
        awaitEvent("payment.refunded", orderId);
    }

    @Test
    void refundOfAPendingPaymentTheProviderNeverSawHasNothingToRefund() {
        UUID orderId = UUID.randomUUID();
        insertPending(orderId, 3000, "pm_card_visa");

        assertThat(refund(orderId)).containsEntry("status", "NOTHING_TO_REFUND");
        assertThat(paymentRow(orderId)).containsEntry("status", "FAILED").containsEntry("decline_code", "not_charged");
        assertThat(charge(orderId, 3000, "pm_card_visa")).containsEntry("status", "REFUSED").containsEntry("reason", "ORDER_COMPENSATED");
        assertThat(count("simulator_charges")).isZero();
    }

    @Test
    void aChargeThatCompletesAfterTheRefundArrivedIsRefundedAtOnce() {
        // charge committed PENDING and called the provider; meanwhile the refund found nothing charged yet
        UUID orderId = UUID.randomUUID();
        Payment pending = insertPending(orderId, 800, "pm_card_visa");
        assertThat(refund(orderId)).containsEntry("status", "NOTHING_TO_REFUND");
        ProviderResult lateSuccess = provider.charge(pending.chargeRequest());

        // tx2 of the charge: re-checks the tombstone under the row lock
        assertThat(settlement.record(orderId, lateSuccess).payment().status()).hasToString("REFUNDED");

        assertThat(jdbc.queryForObject("SELECT status FROM simulator_charges", String.class)).isEqualTo("refunded");
        awaitEvent("payment.refunded", orderId);
        assertThat(status(orderId)).containsEntry("status", "REFUNDED");
    }

    @Test
    void reconcilerRefundsACompensatedOrderWhoseRefundCouldNotBeDone() {
        UUID orderId = UUID.randomUUID();
        charge(orderId, 900, "pm_card_visa");
        // the refund command left its tombstone but could not reach the provider
        jdbc.update("INSERT INTO payment_cancellations (order_id) VALUES (?)", orderId);

        assertThat(reconciler.reconcile()).isEqualTo(1);

        assertThat(paymentRow(orderId)).containsEntry("status", "REFUNDED");
        awaitEvent("payment.refunded", orderId);
        assertThat(reconciler.reconcile()).isZero();
    }

    // ---- refused and invalid commands ----

    @Test
    void expiredCommandIsRefusedAndChangesNothing() {
        UUID orderId = UUID.randomUUID();
        Map<String, Object> reply = send("payment.charge", json(command("payment.charge", chargeData(orderId, 100, "pm_card_visa"))),
                System.currentTimeMillis() - 1_000);

        assertThat(reply).containsEntry("status", "REFUSED").containsEntry("reason", "EXPIRED_REQUEST");
        Map<String, Object> refundReply = send("payment.refund", json(Map.of("orderId", orderId.toString())), System.currentTimeMillis() - 1);
        assertThat(refundReply).containsEntry("status", "REFUSED").containsEntry("reason", "EXPIRED_REQUEST");
        assertThat(count("payments")).isZero();
        assertThat(count("payment_cancellations")).isZero();
        assertThat(count("simulator_charges")).isZero();
        assertThat(count("outbox")).isZero();
    }

    static List<Object> invalidCharges() {
        UUID id = UUID.randomUUID();
        return List.<Object>of(
                "{not json",
                "[1,2]",
                "null",
                patch(id, "orderId", "not-a-uuid"),
                patch(id, "orderId", null),
                patch(id, "amount", 0),
                patch(id, "amount", -5),
                patch(id, "amount", 12.5),
                patch(id, "amount", "100"),
                patch(id, "amount", 100_000_000_000L),
                patch(id, "currency", "US"),
                patch(id, "currency", "U$D"),
                patch(id, "paymentMethod", ""),
                patch(id, "paymentMethod", "pm_" + "x".repeat(100)),
                patch(id, "userId", null),
                patch(id, "userId", "u".repeat(256)),
                patch(id, "orderId", 42),
                patch(id, "orderId", "1-2-3-4-5"),
                patch(id, "amount", null),
                patch(id, "amount", 100.0),
                patch(id, "currency", null),
                patch(id, "currency", 840),
                patch(id, "paymentMethod", null),
                // the body names another command, or a schema version this service does not read
                patch(id, "type", "payment.refund"),
                patch(id, "schemaVersion", 2));
    }

    @ParameterizedTest
    @MethodSource("invalidCharges")
    void invalidChargeIsAnsweredErrorAndChangesNothing(String body) {
        Map<String, Object> reply = send("payment.charge", body.getBytes(StandardCharsets.UTF_8), System.currentTimeMillis() + 15_000);

        assertThat(reply).isEqualTo(Map.of("status", "ERROR", "reason", "INVALID_COMMAND"));
        assertThat(count("payments")).isZero();
        assertThat(count("simulator_charges")).isZero();
        assertThat(count("outbox")).isZero();
    }

    @Test
    void invalidRefundAndStatusAreAnsweredError() {
        Map<String, String> invalid = Map.of("status", "ERROR", "reason", "INVALID_COMMAND");
        assertThat(send("payment.refund", Map.of("orderId", "42"))).isEqualTo(invalid);
        assertThat(send("payment.refund", Map.of())).isEqualTo(invalid);
        assertThat(send("payment.status", Map.of())).isEqualTo(invalid);
        assertThat(send("payment.status", Map.of("orderId", UUID.randomUUID().toString(), "type", "payment.refund"))).isEqualTo(invalid);
        assertThat(count("payment_cancellations")).isZero();
    }

    @Test
    void aCommandOfUnknownTypeIsAnsweredError() {
        // straight into the queue (default exchange): the routing key is none of the payment commands, whatever
        // the body's type says
        UUID orderId = UUID.randomUUID();
        Map<String, Object> reply = sendVia("", "payment.commands",
                json(command("payment.charge", chargeData(orderId, 100, "pm_card_visa"))), System.currentTimeMillis() + 15_000);
        assertThat(reply).isEqualTo(Map.of("status", "ERROR", "reason", "INVALID_COMMAND"));
        assertThat(count("payments")).isZero();
    }

    @Test
    void unknownFieldsAndLowerCaseCurrencyAreAccepted() {
        UUID orderId = UUID.randomUUID();
        Map<String, Object> data = new LinkedHashMap<>(chargeData(orderId, 100, "pm_card_visa"));
        data.put("currency", "eur");
        data.put("someNewField", Map.of("nested", true));
        assertThat(send("payment.charge", data)).containsEntry("status", "COMPLETED");
        assertThat(paymentRow(orderId)).containsEntry("currency", "EUR");
    }

    // ---- REST: GET /payments ----

    @Test
    void operatorsReadThePaymentsOfAnOrder() throws Exception {
        UUID orderId = UUID.randomUUID();
        Map<String, Object> charged = charge(orderId, 3998, "pm_card_visa");

        ResponseEntity<String> response = operator().getForEntity("/payments?orderId=" + orderId, String.class);

        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(response.getHeaders().getContentType()).hasToString("application/json");
        List<Map<String, Object>> payments = JSON.readValue(response.getBody(), new com.fasterxml.jackson.core.type.TypeReference<>() {
        });
        assertThat(payments).containsExactly(Map.of("paymentId", charged.get("paymentId"), "orderId", orderId.toString(),
                "amount", 3998, "currency", "USD", "status", "COMPLETED"));
        assertThat(response.getBody()).startsWith("[{\"paymentId\":");

        refund(orderId);
        assertThat(operator().getForObject("/payments?orderId=" + orderId, String.class)).contains("\"status\":\"REFUNDED\"");
    }

    @Test
    void anOrderWithoutPaymentsHasAnEmptyList() {
        ResponseEntity<String> response = operator().getForEntity("/payments?orderId=" + UUID.randomUUID(), String.class);
        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(response.getBody()).isEqualTo("[]");
    }

    @Test
    void paymentsNeedOperatorCredentials() {
        String path = "/payments?orderId=" + UUID.randomUUID();
        assertThat(http.getForEntity(path, String.class).getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
        assertThat(http.withBasicAuth("operator", "wrong").getForEntity(path, String.class).getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
        assertThat(http.withBasicAuth("viewer", "viewer-dev-password").getForEntity(path, String.class).getStatusCode()).isEqualTo(HttpStatus.FORBIDDEN);
    }

    @ParameterizedTest
    @CsvSource({"/payments?orderId=not-a-uuid, orderId", "/payments?orderId=1-2-3-4-5, orderId", "/payments, orderId"})
    void aBadOrderIdIsRejectedWithTheValidationBody(String path, String field) throws Exception {
        ResponseEntity<String> response = operator().getForEntity(path, String.class);

        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
        Map<String, Object> body = parse(response.getBody().getBytes(StandardCharsets.UTF_8));
        assertThat(body).containsEntry("status", "REJECTED").containsEntry("reason", "VALIDATION_FAILED");
        assertThat(body.get("errors").toString()).contains("field=" + field);
    }

    @Test
    void prometheusShowsThePaymentMetrics() {
        charge(UUID.randomUUID(), 100, "pm_card_visa");
        charge(UUID.randomUUID(), 100, "pm_card_chargeDeclined");
        refund(UUID.randomUUID());

        String metrics = operator().getForObject("/actuator/prometheus", String.class);

        assertThat(metrics).contains("shop_payment_charges_total{", "outcome=\"completed\"", "outcome=\"declined\"",
                "shop_payment_refunds_total{", "outcome=\"nothing_to_refund\"", "shop_payment_pending",
                "shop_payment_provider_requests_seconds_count{", "provider=\"simulator\"",
                "shop_payment_events_total{", "camel_exchanges_total{");
    }

    private TestRestTemplate operator() {
        return http.withBasicAuth("operator", "operator-dev-password");
    }

    // ---- helpers ----

    private static String patch(UUID orderId, String field, Object value) {
        Map<String, Object> data = new LinkedHashMap<>(chargeData(orderId, 100, "pm_card_visa"));
        if (value == null) {
            data.remove(field);
        } else {
            data.put(field, value);
        }
        return new String(json(data), StandardCharsets.UTF_8);
    }

    private Payment insertPending(UUID orderId, long amount, String paymentMethod) {
        store.insertPending(UUID.randomUUID(), orderId, "user-42", amount, "USD", paymentMethod);
        return store.find(orderId).orElseThrow();
    }

    private double counter(String name, String tag, String value) {
        var c = meters.find(name).tag(tag, value).counter();
        return c == null ? 0 : c.count();
    }

}
