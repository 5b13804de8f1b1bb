package shop.payment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.UUID;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;

import shop.payment.support.PaymentServiceTestSupport;
import shop.platform.retention.Retention;

/**
 * The retention job on the real PostgreSQL (payments_test): rows older than SHOP_RETENTION go, younger ones
 * and old ones that still guard money stay, in batches, each counted in shop_retention_deleted_total{table};
 * a retention not longer than the replay window is refused at start-up.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        PaymentServiceTestSupport.DB, PaymentServiceTestSupport.NO_BACKGROUND_RECONCILER,
        "shop.retention.period=P30D", "shop.retention.batch-size=2", "shop.retention.initial-delay-ms=3600000"})
class RetentionTest extends PaymentServiceTestSupport {

    @Autowired
    Retention retention;
    @Autowired
    MeterRegistry meters;
    @Autowired
    CamelContext camel;

    @BeforeEach
    void emptyInbox() {
        jdbc.execute("TRUNCATE inbox");
    }

    @Test
    void deletesOnlyRowsOlderThanTheRetentionInBatchesAndCountsThem() {
        for (int i = 0; i < 5; i++) {
            inbox("old-" + i, 31);
        }
        inbox("young", 29);
        UUID lonelyTombstone = tombstone(40);
        UUID refundedTombstone = tombstone(40);
        payment(refundedTombstone, "REFUNDED", 40);
        UUID unsettledTombstone = tombstone(40);
        payment(unsettledTombstone, "COMPLETED", 40);
        UUID youngTombstone = tombstone(1);
        String oldCharge = charge("succeeded", 31);
        String pendingCharge = charge("succeeded", 31);
        payment(UUID.randomUUID(), "PENDING", 31, pendingCharge);
        String youngCharge = charge("declined", 2);
        Map<String, Double> before = counts();

        Map<String, Long> deleted = retention.purge();

        assertThat(deleted).containsEntry("inbox", 5L).containsEntry("payment_cancellations", 2L).containsEntry("simulator_charges", 1L);
        assertThat(jdbc.queryForList("SELECT message_id FROM inbox", String.class)).containsExactly("young");
        assertThat(jdbc.queryForList("SELECT order_id FROM payment_cancellations", UUID.class))
                .containsExactlyInAnyOrder(unsettledTombstone, youngTombstone)
                .doesNotContain(lonelyTombstone, refundedTombstone);
        assertThat(jdbc.queryForList("SELECT idempotency_key FROM simulator_charges", String.class))
                .containsExactlyInAnyOrder(pendingCharge, youngCharge).doesNotContain(oldCharge);
        Map<String, Double> after = counts();
        assertThat(after.get("inbox") - before.get("inbox")).isEqualTo(5.0);
        assertThat(after.get("payment_cancellations") - before.get("payment_cancellations")).isEqualTo(2.0);
        assertThat(after.get("simulator_charges") - before.get("simulator_charges")).isEqualTo(1.0);
        // the payments themselves are the service's record: never deleted
        assertThat(jdbc.queryForObject("SELECT count(*) FROM payments", Long.class)).isEqualTo(3L);

        // a second run finds nothing more
        assertThat(retention.purge().values()).containsOnly(0L);
    }

    @Test
    void theJobIsATimerRouteOfEveryService() {
        assertThat(camel.getRouteController().getRouteStatus("shop-retention")).isEqualTo(ServiceStatus.Started);
        assertThat(camel.getRoute("shop-retention").getEndpoint().getEndpointUri()).startsWith("timer://shop-retention");
    }

    @Test
    void aRetentionNotLongerThanTheReplayWindowIsRefusedAtStartUp() {
        // command-line arguments: above application.properties, as the environment variables would be
        assertThatThrownBy(() -> new SpringApplicationBuilder(PaymentApplication.class)
                .run("--" + DB, "--" + NO_BACKGROUND_RECONCILER, "--server.port=0",
                        "--shop.retention.period=P7D", "--shop.retention.replay-window=P7D").close())
                .satisfies(e -> assertThat(rootMessages(e)).contains("SHOP_RETENTION PT168H must be longer than every window")
                        .contains("SHOP_REPLAY_WINDOW is PT168H"));
    }

    private static String rootMessages(Throwable e) {
        StringBuilder b = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            b.append(t.getMessage()).append('\n');
        }
        return b.toString();
    }

    private Map<String, Double> counts() {
        return Map.of("inbox", deletedCount("inbox"), "payment_cancellations", deletedCount("payment_cancellations"),
                "simulator_charges", deletedCount("simulator_charges"));
    }

    private double deletedCount(String table) {
        return meters.get("shop.retention.deleted").tag("table", table).counter().count();
    }

    private void inbox(String messageId, int daysOld) {
        jdbc.update("INSERT INTO inbox (consumer, message_id, processed_at) VALUES ('test', ?, now() - make_interval(days => ?))",
                messageId, daysOld);
    }

    private UUID tombstone(int daysOld) {
        UUID orderId = UUID.randomUUID();
        jdbc.update("INSERT INTO payment_cancellations (order_id, created_at) VALUES (?, now() - make_interval(days => ?))", orderId, daysOld);
        return orderId;
    }

    private void payment(UUID orderId, String status, int daysOld) {
        payment(orderId, status, daysOld, "pay-" + orderId);
    }

    private void payment(UUID orderId, String status, int daysOld, String idempotencyKey) {
        jdbc.update("""
                INSERT INTO payments (payment_id, order_id, user_id, amount, currency, payment_method, idempotency_key, status, created_at, updated_at)
                VALUES (?, ?, 'ada', 100, 'USD', 'pm_card_visa', ?, ?, now() - make_interval(days => ?), now() - make_interval(days => ?))""",
                UUID.randomUUID(), orderId, idempotencyKey, status, daysOld, daysOld);
    }

    private String charge(String status, int daysOld) {
        String key = "charge-" + UUID.randomUUID();
        jdbc.update("""
                INSERT INTO simulator_charges (idempotency_key, charge_id, amount, currency, payment_method, status, created_at)
                VALUES (?, ?, 100, 'USD', 'pm_card_visa', ?, now() - make_interval(days => ?))""",
                key, "ch_" + UUID.randomUUID(), status, daysOld);
        return key;
    }
}
