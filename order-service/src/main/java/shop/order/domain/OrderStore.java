package shop.order.domain;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
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
            + "payment_id, reservation_id, created_at, updated_at, lease_epoch";
    /** A failed order whose compensations are not all done: the only state refunds and releases are sent for. */
    private static final String COMPENSATING = "status = 'FAILED' AND saga_step = 'COMPENSATING'";

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
        return Optional.of(found.get(0).withItems(lines(orderId)));
    }

    public Order get(UUID orderId) {
        return find(orderId).orElseThrow(() -> new IllegalStateException("no order " + orderId));
    }

    // --- the saga's writes: each moves the order with ONE conditional statement on its state and epoch -----

    /** NEW -> RESERVING: from now on the reserve may have been sent ({@code reserve_started}). */
    @Transactional
    public Order beginReserve(Lease lease) {
        return move(lease, "saga_step = 'RESERVING', reserve_started = true", "status = 'PENDING' AND saga_step = 'NEW'");
    }

    /**
     * RESERVING -> CHARGING with the reservation and the inventory's prices: from now on the charge may have been
     * sent ({@code charge_started}).
     */
    @Transactional
    public Order recordReservation(Lease lease, UUID reservationId, long totalAmount, String currency, Map<String, Long> unitPrices) {
        Order order = move(lease, "reservation_id = ?, total_amount = ?, currency = ?, saga_step = 'CHARGING', charge_started = true",
                "status = 'PENDING' AND saga_step = 'RESERVING'", reservationId, totalAmount, currency);
        List<Object[]> rows = new ArrayList<>();
        unitPrices.forEach((product, price) -> rows.add(new Object[] {price, lease.orderId(), product}));
        jdbc.batchUpdate("UPDATE order_items SET unit_price = ? WHERE order_id = ? AND product_id = ?", rows);
        return order;
    }

    /** CHARGING -> CONFIRMING with the completed payment: from now on the confirm may have been sent. */
    @Transactional
    public Order recordPayment(Lease lease, UUID paymentId) {
        return move(lease, "payment_id = ?, saga_step = 'CONFIRMING'", "status = 'PENDING' AND saga_step = 'CHARGING'", paymentId);
    }

    /** PENDING at CONFIRMING -> CONFIRMED with {@code order.confirmed} in the outbox: the confirmed order with its lines. */
    @Transactional
    public Order confirm(Lease lease) {
        Order order = move(lease, "status = 'CONFIRMED', saga_step = 'DONE'", "status = 'PENDING' AND saga_step = 'CONFIRMING'")
                .withItems(lines(lease.orderId()));
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("orderId", order.orderId().toString());
        event.put("userId", order.userId());
        event.put("items", order.items().stream().map(OrderLine::asMap).toList());
        event.put("totalAmount", order.totalAmount());
        event.put("currency", order.currency());
        event.put("shippingAddress", read(order.shippingAddressJson()));
        outbox.add("order.confirmed", event);
        return order;
    }

    /**
     * PENDING (at any step) -> FAILED with its reason, saga_step COMPENSATING, and {@code order.failed} in the
     * outbox. A transient reason releases the idempotency key.
     */
    @Transactional
    public Order fail(Lease lease, String reason) {
        String releaseKey = FailureReason.isTransient(reason)
                ? ", released_idempotency_key = idempotency_key, idempotency_key = NULL" : "";
        Order order = move(lease, "status = 'FAILED', reason = ?, saga_step = 'COMPENSATING'" + releaseKey, "status = 'PENDING'", reason);
        outbox.add("order.failed", Map.of("orderId", order.orderId().toString(), "userId", order.userId(), "reason", reason));
        return order;
    }

    /** A FAILED order's compensations begin (a heartbeat): the row they are decided from. */
    @Transactional
    public Order beginCompensation(Lease lease) {
        return move(lease, null, COMPENSATING);
    }

    @Transactional
    public Order markRefunded(Lease lease) {
        return move(lease, "refunded = true", COMPENSATING);
    }

    @Transactional
    public Order markReleased(Lease lease) {
        return move(lease, "released = true", COMPENSATING);
    }

    /**
     * COMPENSATING -> COMPENSATED once every compensation the saga needs is done: the finished order, or empty
     * when one is still due (the next recovery pass retries it).
     */
    @Transactional
    public Optional<Order> finishCompensation(Lease lease) {
        List<Order> finished = jdbc.query("UPDATE orders SET saga_step = 'COMPENSATED', updated_at = now() "
                + "WHERE order_id = ? AND lease_epoch = ? AND " + COMPENSATING
                + " AND (NOT reserve_started OR released) AND (NOT charge_started OR refunded) RETURNING " + COLUMNS,
                this::order, lease.orderId(), lease.epoch());
        if (!finished.isEmpty()) {
            return Optional.of(finished.get(0));
        }
        Order now = get(lease.orderId());
        if (now.leaseEpoch() != lease.epoch() || now.status() != OrderStatus.FAILED || now.sagaStep() != SagaStep.COMPENSATING) {
            throw superseded(lease);
        }
        return Optional.empty();
    }

    /** The orders recovery may take over: pending or compensating and silent for {@code staleSeconds}, oldest first. */
    public List<UUID> stale(int staleSeconds, int limit) {
        return jdbc.queryForList("""
                SELECT order_id FROM orders
                WHERE (status = 'PENDING' OR saga_step = 'COMPENSATING') AND updated_at < now() - make_interval(secs => ?)
                ORDER BY updated_at LIMIT ?""", UUID.class, staleSeconds, limit);
    }

    /**
     * Recovery's takeover of one stale order: the epoch is incremented, which fences off whoever drove it until now.
     * Empty when it is not stale any more (another instance took it over first, or its saga went on).
     */
    @Transactional
    public Optional<Order> takeOver(UUID orderId, int staleSeconds) {
        return jdbc.query("""
                UPDATE orders SET lease_epoch = lease_epoch + 1, recovery_attempts = recovery_attempts + 1, updated_at = now()
                WHERE order_id = ? AND (status = 'PENDING' OR saga_step = 'COMPENSATING')
                  AND updated_at < now() - make_interval(secs => ?)
                RETURNING\s""" + COLUMNS, this::order, orderId, staleSeconds).stream().findFirst();
    }

    /** The order's lines in their order. */
    public List<OrderLine> lines(UUID orderId) {
        return jdbc.query("SELECT product_id, quantity, unit_price FROM order_items WHERE order_id = ? ORDER BY line_no",
                (r, i) -> new OrderLine(r.getString(1), r.getInt(2), (Long) r.getObject(3)), orderId);
    }

    /**
     * The fenced write: {@code UPDATE ... SET <set>, updated_at = now() WHERE order_id AND lease_epoch AND <expected>
     * RETURNING} the row. The bumped {@code updated_at} is the heartbeat recovery looks at. No row: {@link Superseded}.
     */
    private Order move(Lease lease, String set, String expected, Object... setArgs) {
        Object[] args = new Object[setArgs.length + 2];
        System.arraycopy(setArgs, 0, args, 0, setArgs.length);
        args[setArgs.length] = lease.orderId();
        args[setArgs.length + 1] = lease.epoch();
        List<Order> moved = jdbc.query("UPDATE orders SET " + (set == null ? "" : set + ", ") + "updated_at = now() "
                + "WHERE order_id = ? AND lease_epoch = ? AND " + expected + " RETURNING " + COLUMNS, this::order, args);
        if (moved.isEmpty()) {
            throw superseded(lease);
        }
        return moved.get(0);
    }

    private Superseded superseded(Lease lease) {
        return jdbc.query("SELECT lease_epoch, status, saga_step FROM orders WHERE order_id = ?",
                (rs, i) -> new Superseded(lease, rs.getLong(1), rs.getString(2) + "/" + rs.getString(3)), lease.orderId())
                .stream().findFirst().orElseGet(() -> new Superseded(lease, lease.epoch(), "missing"));
    }

    public record Summary(UUID orderId, String status, Instant createdAt, Instant updatedAt) {
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
                rs.getObject(16, UUID.class), instant(rs.getTimestamp(17)), instant(rs.getTimestamp(18)), rs.getLong(19), List.of());
    }

    private static Instant instant(Timestamp t) {
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
