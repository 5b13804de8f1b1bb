package shop.order.domain;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

import shop.platform.outbox.Outbox;

/**
 * The orders database: orders with their saga state, and the events their transitions publish (written
 * to the outbox in the same transaction).
 */
@Repository
public class OrderStore {

    private static final String COLUMNS = "order_id, user_id, request_hash, status, reason, saga_step, reserve_started, "
            + "charge_started, released, refunded, payment_method, shipping_address::text, total_amount, currency, "
            + "payment_id, reservation_id, created_at, updated_at";

    private final JdbcTemplate jdbc;
    private final Outbox outbox;
    private final ObjectMapper json;

    public OrderStore(JdbcTemplate jdbc, Outbox outbox, ObjectMapper json) {
        this.jdbc = jdbc;
        this.outbox = outbox;
        this.json = json;
    }

    /** The result of accepting a request: the new order, or the one an earlier request with the same key made. */
    public record Accepted(UUID orderId, boolean created, String existingHash) {
    }

    /**
     * Stores a new PENDING order with its lines, unless the user already placed one with this idempotency
     * key: then that order is returned (its request hash tells whether the body was the same).
     */
    @Transactional
    public Accepted accept(String userId, String idempotencyKey, String requestHash, String paymentMethod,
                           Object shippingAddress, List<OrderLine> lines) {
        UUID orderId = UUID.randomUUID();
        String address = write(shippingAddress);
        int inserted = jdbc.update("""
                INSERT INTO orders (order_id, user_id, idempotency_key, request_hash, status, saga_step, payment_method, shipping_address)
                VALUES (?, ?, ?, ?, 'PENDING', 'NEW', ?, ?::jsonb)
                ON CONFLICT (user_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING""",
                orderId, userId, idempotencyKey, requestHash, paymentMethod, address);
        if (inserted == 0) {
            return placedWithKey(userId, idempotencyKey).orElseThrow(ConcurrentKeyRelease::new);
        }
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            rows.add(new Object[] {orderId, i, lines.get(i).productId(), lines.get(i).quantity()});
        }
        jdbc.batchUpdate("INSERT INTO order_items (order_id, line_no, product_id, quantity) VALUES (?, ?, ?, ?)", rows);
        return new Accepted(orderId, true, requestHash);
    }

    /** The order an earlier request of this user placed with this idempotency key, if any. */
    public Optional<Accepted> placedWithKey(String userId, String idempotencyKey) {
        if (idempotencyKey == null) {
            return Optional.empty();
        }
        return jdbc.query("SELECT order_id, request_hash FROM orders WHERE user_id = ? AND idempotency_key = ?",
                (rs, i) -> new Accepted(rs.getObject(1, UUID.class), false, rs.getString(2)), userId, idempotencyKey)
                .stream().findFirst();
    }

    /** The key's order was released between our insert and our read; the caller simply tries again. */
    public static class ConcurrentKeyRelease extends RuntimeException {
        ConcurrentKeyRelease() {
            super("idempotency key released concurrently", null, false, false);
        }
    }

    public Optional<Order> find(UUID orderId) {
        // two queries one after the other: a query inside a row mapper would hold one connection while it
        // waits for a second, and under load every thread would do that (pool exhaustion)
        List<Order> found = jdbc.query("SELECT " + COLUMNS + " FROM orders WHERE order_id = ?", this::order, orderId);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        List<OrderLine> lines = jdbc.query("SELECT product_id, quantity, unit_price FROM order_items WHERE order_id = ? ORDER BY line_no",
                (r, i) -> new OrderLine(r.getString(1), r.getInt(2), (Long) r.getObject(3)), orderId);
        return Optional.of(found.get(0).withItems(lines));
    }

    public Order get(UUID orderId) {
        return find(orderId).orElseThrow(() -> new IllegalStateException("no order " + orderId));
    }

    /** Records the step about to be attempted; answers false when the order is no longer pending. */
    @Transactional
    public boolean beginStep(UUID orderId, SagaStep step) {
        String started = switch (step) {
            case RESERVING -> ", reserve_started = true";
            case CHARGING -> ", charge_started = true";
            default -> "";
        };
        return jdbc.update("UPDATE orders SET saga_step = ?" + started + ", updated_at = now() WHERE order_id = ? AND status = 'PENDING'",
                step.name(), orderId) == 1;
    }

    @Transactional
    public void recordReservation(UUID orderId, UUID reservationId, long totalAmount, String currency, Map<String, Long> unitPrices) {
        jdbc.update("UPDATE orders SET reservation_id = ?, total_amount = ?, currency = ?, updated_at = now() WHERE order_id = ?",
                reservationId, totalAmount, currency, orderId);
        List<Object[]> rows = new ArrayList<>();
        unitPrices.forEach((product, price) -> rows.add(new Object[] {price, orderId, product}));
        jdbc.batchUpdate("UPDATE order_items SET unit_price = ? WHERE order_id = ? AND product_id = ?", rows);
    }

    @Transactional
    public void recordPayment(UUID orderId, UUID paymentId) {
        jdbc.update("UPDATE orders SET payment_id = ?, saga_step = 'CONFIRMING', updated_at = now() WHERE order_id = ?",
                paymentId, orderId);
    }

    /**
     * PENDING -> CONFIRMED with {@code order.confirmed} in the outbox: the confirmed order, or empty when it had
     * already failed.
     */
    @Transactional
    public Optional<Order> confirm(UUID orderId) {
        int updated = jdbc.update("UPDATE orders SET status = 'CONFIRMED', saga_step = 'DONE', updated_at = now() "
                + "WHERE order_id = ? AND status = 'PENDING'", orderId);
        if (updated == 0) {
            return Optional.empty();
        }
        Order order = get(orderId);
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("orderId", orderId.toString());
        event.put("userId", order.userId());
        event.put("items", order.items().stream().map(OrderLine::asMap).toList());
        event.put("totalAmount", order.totalAmount());
        event.put("currency", order.currency());
        event.put("shippingAddress", read(order.shippingAddressJson()));
        outbox.add("order.confirmed", event);
        return Optional.of(order);
    }

    /**
     * PENDING -> FAILED with its reason and {@code order.failed} in the outbox; compensation follows. A
     * transient reason releases the idempotency key. False when the order was no longer pending.
     */
    @Transactional
    public boolean fail(UUID orderId, String reason) {
        String releaseKey = FailureReason.isTransient(reason)
                ? ", released_idempotency_key = idempotency_key, idempotency_key = NULL" : "";
        int updated = jdbc.update("UPDATE orders SET status = 'FAILED', reason = ?, saga_step = 'COMPENSATING'" + releaseKey
                + ", updated_at = now() WHERE order_id = ? AND status = 'PENDING'", reason, orderId);
        if (updated == 0) {
            return false;
        }
        Order order = get(orderId);
        outbox.add("order.failed", Map.of("orderId", orderId.toString(), "userId", order.userId(), "reason", reason));
        return true;
    }

    @Transactional
    public void markReleased(UUID orderId) {
        jdbc.update("UPDATE orders SET released = true, updated_at = now() WHERE order_id = ?", orderId);
    }

    @Transactional
    public void markRefunded(UUID orderId) {
        jdbc.update("UPDATE orders SET refunded = true, updated_at = now() WHERE order_id = ?", orderId);
    }

    /** COMPENSATING -> COMPENSATED once every compensation the saga needs has been done. */
    @Transactional
    public boolean finishCompensation(UUID orderId) {
        return jdbc.update("""
                UPDATE orders SET saga_step = 'COMPENSATED', updated_at = now()
                WHERE order_id = ? AND saga_step = 'COMPENSATING'
                  AND (NOT reserve_started OR released) AND (NOT charge_started OR refunded)""", orderId) == 1;
    }

    /**
     * Leases up to {@code limit} sagas that stopped part-way: pending or compensating and untouched for
     * {@code staleSeconds}. The lease is the bumped {@code updated_at}; SKIP LOCKED keeps two instances apart.
     */
    @Transactional
    public List<UUID> leaseStale(int staleSeconds, int limit) {
        return jdbc.queryForList("""
                UPDATE orders SET updated_at = now(), recovery_attempts = recovery_attempts + 1
                WHERE order_id IN (
                    SELECT order_id FROM orders
                    WHERE (status = 'PENDING' OR saga_step = 'COMPENSATING')
                      AND updated_at < now() - make_interval(secs => ?)
                    ORDER BY updated_at LIMIT ? FOR UPDATE SKIP LOCKED)
                RETURNING order_id""", UUID.class, staleSeconds, limit);
    }

    public record Summary(UUID orderId, String status, java.time.Instant createdAt, java.time.Instant updatedAt) {
    }

    public long count(OrderStatus status, long olderThanSeconds) {
        Long n = jdbc.queryForObject("SELECT count(*) FROM orders WHERE status = ? AND created_at <= now() - make_interval(secs => ?)",
                Long.class, status.name(), olderThanSeconds);
        return n == null ? 0 : n;
    }

    public List<Summary> list(OrderStatus status, long olderThanSeconds, int limit) {
        return jdbc.query("SELECT order_id, status, created_at, updated_at FROM orders WHERE status = ? "
                        + "AND created_at <= now() - make_interval(secs => ?) ORDER BY created_at LIMIT ?",
                (rs, i) -> new Summary(rs.getObject(1, UUID.class), rs.getString(2), rs.getTimestamp(3).toInstant(),
                        rs.getTimestamp(4).toInstant()), status.name(), olderThanSeconds, limit);
    }

    private Order order(ResultSet rs, int row) throws SQLException {
        UUID orderId = rs.getObject(1, UUID.class);
        return new Order(orderId, rs.getString(2), rs.getString(3), OrderStatus.valueOf(rs.getString(4)), rs.getString(5),
                SagaStep.valueOf(rs.getString(6)), rs.getBoolean(7), rs.getBoolean(8), rs.getBoolean(9), rs.getBoolean(10),
                rs.getString(11), rs.getString(12), (Long) rs.getObject(13), rs.getString(14), rs.getObject(15, UUID.class),
                rs.getObject(16, UUID.class), instant(rs.getTimestamp(17)), instant(rs.getTimestamp(18)), List.of());
    }

    private static java.time.Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private Map<String, Object> read(String value) {
        try {
            return json.readValue(value, new TypeReference<>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
