package shop.payment.provider;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The built-in payment provider ({@code PAYMENT_PROVIDER=simulator}), speaking Stripe's test vocabulary:
 * {@code pm_card_visa} and {@code pm_card_mastercard} succeed, {@code pm_card_chargeDeclined} is declined
 * {@code generic_decline}, {@code pm_card_chargeDeclinedInsufficientFunds} {@code insufficient_funds}, anything
 * else {@code invalid_payment_method}.
 *
 * <p>It behaves like a remote provider across restarts: its ledger ({@code simulator_charges}) is written in its
 * own transaction (REQUIRES_NEW), independent of the caller's; a key is charged at most once and replays its
 * first outcome; a key reused with another amount or currency is rejected, as Stripe does.
 */
public class SimulatorPaymentProvider implements PaymentProvider {

    private static final Logger log = LoggerFactory.getLogger(SimulatorPaymentProvider.class);

    private static final RowMapper<Row> ROW = (rs, i) -> new Row(rs.getString("charge_id"), rs.getLong("amount"),
            rs.getString("currency"), rs.getString("status"), rs.getString("decline_code"), rs.getString("refund_id"));

    private final JdbcTemplate jdbc;
    private final TransactionTemplate ownTransaction;

    public SimulatorPaymentProvider(JdbcTemplate jdbc, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.ownTransaction = new TransactionTemplate(transactions);
        this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    @Override
    public String name() {
        return "simulator";
    }

    /** The decline code for a payment method, or null when it is charged. */
    static String declineCodeFor(String paymentMethod) {
        return switch (paymentMethod) {
            case "pm_card_visa", "pm_card_mastercard" -> null;
            case "pm_card_chargeDeclined" -> "generic_decline";
            case "pm_card_chargeDeclinedInsufficientFunds" -> "insufficient_funds";
            default -> "invalid_payment_method";
        };
    }

    @Override
    public ProviderResult charge(ChargeRequest request) {
        return ownTransaction.execute(tx -> {
            String declineCode = declineCodeFor(request.paymentMethod());
            String chargeId = "sim_ch_" + UUID.randomUUID().toString().replace("-", "");
            int inserted = jdbc.update("""
                    INSERT INTO simulator_charges (idempotency_key, charge_id, amount, currency, payment_method, status, decline_code)
                    VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (idempotency_key) DO NOTHING""",
                    request.idempotencyKey(), chargeId, request.amount(), request.currency(), request.paymentMethod(),
                    declineCode == null ? "succeeded" : "declined", declineCode);
            Row row = find(request.idempotencyKey()).orElseThrow(
                    () -> new IllegalStateException("simulator charge " + request.idempotencyKey() + " vanished"));
            if (row.amount() != request.amount() || !row.currency().equals(request.currency())) {
                throw new ProviderRejectedException("idempotency key " + request.idempotencyKey()
                        + " was first used with other parameters");
            }
            if (inserted == 1) {
                log.debug("simulator {} charge {} ({} {} {})", declineCode == null ? "accepted" : "declined",
                        row.chargeId(), request.amount(), request.currency(), request.idempotencyKey());
            }
            return row.result();
        });
    }

    @Override
    public Optional<ProviderResult> lookup(ChargeRequest original, Instant lastAttemptAt) {
        return ownTransaction.execute(tx -> find(original.idempotencyKey()).map(Row::result));
    }

    @Override
    public RefundResult refund(String providerRef, String idempotencyKey) {
        return ownTransaction.execute(tx -> {
            List<Row> rows = jdbc.query("SELECT * FROM simulator_charges WHERE charge_id = ? FOR UPDATE", ROW, providerRef);
            if (rows.isEmpty()) {
                throw new ProviderRejectedException("no such charge: " + providerRef);
            }
            Row row = rows.get(0);
            switch (row.status()) {
                case "refunded" -> {
                    return new RefundResult(row.refundId());
                }
                case "declined" -> throw new ProviderRejectedException("charge " + providerRef + " was declined, nothing to refund");
                default -> {
                    String refundId = "sim_re_" + UUID.randomUUID().toString().replace("-", "");
                    jdbc.update("UPDATE simulator_charges SET status = 'refunded', refund_id = ?, refunded_at = now() WHERE charge_id = ?",
                            refundId, providerRef);
                    log.info("simulator refunded charge {} as {} ({})", providerRef, refundId, idempotencyKey);
                    return new RefundResult(refundId);
                }
            }
        });
    }

    private Optional<Row> find(String idempotencyKey) {
        return jdbc.query("SELECT * FROM simulator_charges WHERE idempotency_key = ?", ROW, idempotencyKey).stream().findFirst();
    }

    private record Row(String chargeId, long amount, String currency, String status, String declineCode, String refundId) {

        ProviderResult result() {
            // a refunded charge had succeeded: the charge's own outcome does not change when it is refunded
            return "declined".equals(status) ? ProviderResult.declined(chargeId, declineCode) : ProviderResult.succeeded(chargeId);
        }
    }
}
