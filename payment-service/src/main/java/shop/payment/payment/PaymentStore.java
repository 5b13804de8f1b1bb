package shop.payment.payment;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Repository;

/**
 * SQL on {@code payments} and {@code payment_cancellations}, with bound parameters only. Methods that change
 * state expect the caller's transaction; {@link #lock} takes the row lock that serialises every decision about
 * one order's payment.
 */
@Repository
public class PaymentStore {

    private static final String COLUMNS = "payment_id, order_id, user_id, amount, currency, payment_method, idempotency_key, "
            + "provider_ref, refund_ref, status, decline_code, created_at, updated_at";

    private static final RowMapper<Payment> PAYMENT = PaymentStore::map;

    private final JdbcTemplate jdbc;

    public PaymentStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Records the intent; false when the order already has a payment (which is then left untouched). */
    public boolean insertPending(UUID paymentId, UUID orderId, String userId, long amount, String currency, String paymentMethod) {
        return jdbc.update("""
                INSERT INTO payments (payment_id, order_id, user_id, amount, currency, payment_method, idempotency_key, status)
                VALUES (?, ?, ?, ?, ?, ?, ?, 'PENDING') ON CONFLICT (order_id) DO NOTHING""",
                paymentId, orderId, userId, amount, currency, paymentMethod, Payment.chargeKey(orderId)) == 1;
    }

    public Optional<Payment> find(UUID orderId) {
        return jdbc.query("SELECT " + COLUMNS + " FROM payments WHERE order_id = ?", PAYMENT, orderId).stream().findFirst();
    }

    /** The payment, locked until the end of the caller's transaction. */
    public Optional<Payment> lock(UUID orderId) {
        return jdbc.query("SELECT " + COLUMNS + " FROM payments WHERE order_id = ? FOR UPDATE", PAYMENT, orderId).stream().findFirst();
    }

    public List<Payment> findByOrder(UUID orderId) {
        return jdbc.query("SELECT " + COLUMNS + " FROM payments WHERE order_id = ? ORDER BY created_at", PAYMENT, orderId);
    }

    /** Marks the start of another charge attempt for a PENDING payment (settlement waits for it to end). */
    public void touch(UUID paymentId) {
        jdbc.update("UPDATE payments SET updated_at = now() WHERE payment_id = ?", paymentId);
    }

    /** The payment as written (one statement: {@code UPDATE ... RETURNING}, no re-read). */
    public Payment markCompleted(UUID paymentId, String providerRef) {
        return jdbc.queryForObject("UPDATE payments SET status = 'COMPLETED', provider_ref = ?, decline_code = NULL, updated_at = now() "
                + "WHERE payment_id = ? RETURNING " + COLUMNS, PAYMENT, providerRef, paymentId);
    }

    /** The payment as written (one statement: {@code UPDATE ... RETURNING}, no re-read). */
    public Payment markFailed(UUID paymentId, String providerRef, String declineCode) {
        return jdbc.queryForObject("UPDATE payments SET status = 'FAILED', provider_ref = COALESCE(?, provider_ref), decline_code = ?, "
                + "updated_at = now() WHERE payment_id = ? RETURNING " + COLUMNS, PAYMENT, providerRef, declineCode, paymentId);
    }

    public void markRefunded(UUID paymentId, String refundRef) {
        jdbc.update("UPDATE payments SET status = 'REFUNDED', refund_ref = ?, updated_at = now() WHERE payment_id = ?",
                refundRef, paymentId);
    }

    /** Writes the order's cancellation tombstone (idempotent). */
    public void cancel(UUID orderId) {
        jdbc.update("INSERT INTO payment_cancellations (order_id) VALUES (?) ON CONFLICT (order_id) DO NOTHING", orderId);
    }

    public boolean isCancelled(UUID orderId) {
        return Boolean.TRUE.equals(jdbc.queryForObject(
                "SELECT EXISTS (SELECT 1 FROM payment_cancellations WHERE order_id = ?)", Boolean.class, orderId));
    }

    /**
     * Orders compensated while their money may still be held: a COMPLETED payment with a tombstone, or a PENDING
     * one with a tombstone whose charge attempt started before {@code pendingBefore}.
     */
    public List<UUID> compensatedButHeld(Instant pendingBefore, int limit) {
        return jdbc.queryForList("""
                SELECT p.order_id FROM payments p JOIN payment_cancellations c ON c.order_id = p.order_id
                WHERE p.status = 'COMPLETED' OR (p.status = 'PENDING' AND p.created_at < ?)
                ORDER BY p.updated_at LIMIT ?""", UUID.class, Timestamp.from(pendingBefore), limit);
    }

    public long countPending() {
        Long n = jdbc.queryForObject("SELECT count(*) FROM payments WHERE status = 'PENDING'", Long.class);
        return n == null ? 0 : n;
    }

    private static Payment map(ResultSet rs, int row) throws SQLException {
        return new Payment(rs.getObject("payment_id", UUID.class), rs.getObject("order_id", UUID.class),
                rs.getString("user_id"), rs.getLong("amount"), rs.getString("currency"), rs.getString("payment_method"),
                rs.getString("idempotency_key"), rs.getString("provider_ref"), rs.getString("refund_ref"),
                PaymentStatus.valueOf(rs.getString("status")), rs.getString("decline_code"),
                rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("updated_at").toInstant());
    }
}
