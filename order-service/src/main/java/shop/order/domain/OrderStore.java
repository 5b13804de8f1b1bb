package shop.order.domain;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

import shop.contracts.order.OrderConfirmed;
import shop.contracts.order.OrderFailed;
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
    /** The first of a line's columns after the order's in {@link #moveWithLines}. */
    private static final int LINE_COLUMN = 20;
    /*
     * The state a fenced write expects. The order id is what selects the row; status and saga_step are only checked
     * on it, so they are written as expressions no index matches (`status || ''`): otherwise the planner may fetch
     * every PENDING row through orders_status_created (or every unfinished one through the partial orders_unfinished)
     * and filter them by id - it did, in the generic plan PostgreSQL made
     * for the prepared statement while the table was young and then kept (docs/saga.md, "Fencing").
     */
    private static final String PENDING = "status || '' = 'PENDING'";
    /** A failed order whose compensations are not all done: the only state refunds and releases are sent for. */
    private static final String COMPENSATING = "status || '' = 'FAILED' AND saga_step || '' = 'COMPENSATING'";

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
     * key: then that order is returned (its request hash tells whether the body was the same). One statement
     * (the order and its lines, or nothing), so it runs without a transaction of its own.
     */
    public Accepted accept(String userId, String idempotencyKey, String requestHash, String paymentMethod,
                           Object shippingAddress, List<OrderLine> lines) {
        UUID orderId = UUID.randomUUID();
        String address = write(shippingAddress);
        String[] products = lines.stream().map(OrderLine::productId).toArray(String[]::new);
        Integer[] quantities = lines.stream().map(OrderLine::quantity).toArray(Integer[]::new);
        int inserted = jdbc.update("""
                WITH placed AS (
                  INSERT INTO orders (order_id, user_id, idempotency_key, request_hash, status, saga_step, payment_method, shipping_address)
                  VALUES (?, ?, ?, ?, 'PENDING', 'NEW', ?, ?::jsonb)
                  ON CONFLICT (user_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
                  RETURNING order_id)
                INSERT INTO order_items (order_id, line_no, product_id, quantity)
                SELECT placed.order_id, line.n - 1, line.product_id, line.quantity
                FROM placed, unnest(?::text[], ?::int[]) WITH ORDINALITY AS line (product_id, quantity, n)""",
                orderId, userId, idempotencyKey, requestHash, paymentMethod, address, products, quantities);
        if (inserted == 0) {
            return placedWithKey(userId, idempotencyKey).orElseThrow(ConcurrentKeyRelease::new);
        }
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
    // A write that is one statement runs on its own (autocommit): a transaction around it would add its BEGIN and
    // COMMIT and change nothing. Only a write with an outbox row (confirm, fail) is a transaction of two statements.

    /** NEW -> RESERVING: from now on the reserve may have been sent ({@code reserve_started}). The row with its lines. */
    public Order beginReserve(Lease lease) {
        return moveWithLines(lease, "saga_step = 'RESERVING', reserve_started = true", PENDING + " AND saga_step = 'NEW'");
    }

    /**
     * RESERVING -> CHARGING with the reservation and the inventory's prices: from now on the charge may have been
     * sent ({@code charge_started}). One statement: the lines are priced only if the order row moved.
     */
    public Order recordReservation(Lease lease, UUID reservationId, long totalAmount, String currency, Map<String, Long> unitPrices) {
        String[] products = new String[unitPrices.size()];
        Long[] prices = new Long[unitPrices.size()];
        int i = 0;
        for (Map.Entry<String, Long> price : unitPrices.entrySet()) {
            products[i] = price.getKey();
            prices[i++] = price.getValue();
        }
        List<Order> moved = jdbc.query("WITH moved AS (" + fenced("reservation_id = ?, total_amount = ?, currency = ?, "
                        + "saga_step = 'CHARGING', charge_started = true", PENDING + " AND saga_step = 'RESERVING'") + "), "
                        + "priced AS (UPDATE order_items i SET unit_price = p.price FROM moved, unnest(?::text[], ?::bigint[]) AS p (product_id, price) "
                        + "WHERE i.order_id = moved.order_id AND i.product_id = p.product_id) "
                        + "SELECT * FROM moved",
                this::order, args(lease, new Object[] {reservationId, totalAmount, currency}, products, prices));
        return one(lease, moved);
    }

    /** CHARGING -> CONFIRMING with the completed payment: from now on the confirm may have been sent. */
    public Order recordPayment(Lease lease, UUID paymentId) {
        return move(lease, "payment_id = ?, saga_step = 'CONFIRMING'", PENDING + " AND saga_step = 'CHARGING'", paymentId);
    }

    /** PENDING at CONFIRMING -> CONFIRMED with {@code order.confirmed} in the outbox: the confirmed order with its lines. */
    @Transactional
    public Order confirm(Lease lease) {
        Order order = moveWithLines(lease, "status = 'CONFIRMED', saga_step = 'DONE'", PENDING + " AND saga_step = 'CONFIRMING'");
        outbox.add(OrderConfirmed.of(order.orderId(), order.userId(),
                order.items().stream().map(l -> new OrderConfirmed.Item(l.productId(), l.quantity(), l.unitPrice())).toList(),
                order.totalAmount(), order.currency(), read(order.shippingAddressJson(), OrderConfirmed.Address.class)));
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
        Order order = move(lease, "status = 'FAILED', reason = ?, saga_step = 'COMPENSATING'" + releaseKey, PENDING, reason);
        outbox.add(OrderFailed.of(order.orderId(), order.userId(), reason));
        return order;
    }

    /** A FAILED order's compensations begin (a heartbeat): the row they are decided from. */
    public Order beginCompensation(Lease lease) {
        return move(lease, null, COMPENSATING);
    }

    public Order markRefunded(Lease lease) {
        return move(lease, "refunded = true", COMPENSATING);
    }

    public Order markReleased(Lease lease) {
        return move(lease, "released = true", COMPENSATING);
    }

    /**
     * COMPENSATING -> COMPENSATED once every compensation the saga needs is done: the finished order, or empty
     * when one is still due (the next recovery pass retries it).
     */
    public Optional<Order> finishCompensation(Lease lease) {
        List<Order> finished = jdbc.query(fenced("saga_step = 'COMPENSATED'",
                        COMPENSATING + " AND (NOT reserve_started OR released) AND (NOT charge_started OR refunded)"),
                this::order, args(lease, new Object[0]));
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
    public Optional<Order> takeOver(UUID orderId, int staleSeconds) {
        return jdbc.query("""
                UPDATE orders SET lease_epoch = lease_epoch + 1, recovery_attempts = recovery_attempts + 1, updated_at = now()
                WHERE order_id = ? AND (status || '' = 'PENDING' OR saga_step || '' = 'COMPENSATING')
                  AND updated_at < now() - make_interval(secs => ?)
                RETURNING\s""" + COLUMNS, this::order, orderId, staleSeconds).stream().findFirst();
    }

    /** The order's lines in their order. */
    public List<OrderLine> lines(UUID orderId) {
        return jdbc.query("SELECT product_id, quantity, unit_price FROM order_items WHERE order_id = ? ORDER BY line_no",
                (r, i) -> new OrderLine(r.getString(1), r.getInt(2), (Long) r.getObject(3)), orderId);
    }

    /** The fenced write: {@link #fenced} with the set clause's arguments, then the order id and the epoch. No row: {@link Superseded}. */
    private Order move(Lease lease, String set, String expected, Object... setArgs) {
        return one(lease, jdbc.query(fenced(set, expected), this::order, args(lease, setArgs)));
    }

    /** {@link #move}, and the order's lines read in the same statement (their rows as they were before it). */
    private Order moveWithLines(Lease lease, String set, String expected) {
        List<Order> moved = jdbc.query("WITH moved AS (" + fenced(set, expected) + ") "
                + "SELECT moved.*, i.product_id, i.quantity, i.unit_price FROM moved LEFT JOIN order_items i ON i.order_id = moved.order_id "
                + "ORDER BY i.line_no", rs -> {
                    Order order = null;
                    List<OrderLine> lines = new ArrayList<>();
                    while (rs.next()) {
                        if (order == null) {
                            order = order(rs, 0);
                        }
                        if (rs.getString(LINE_COLUMN) != null) {
                            lines.add(new OrderLine(rs.getString(LINE_COLUMN), rs.getInt(LINE_COLUMN + 1), (Long) rs.getObject(LINE_COLUMN + 2)));
                        }
                    }
                    return order == null ? List.<Order>of() : List.of(order.withItems(lines));
                }, args(lease, new Object[0]));
        return one(lease, moved);
    }

    /**
     * {@code UPDATE orders SET <set>, updated_at = now() WHERE order_id = ? AND lease_epoch = ? AND <expected> RETURNING}
     * the row. The bumped {@code updated_at} is the heartbeat recovery looks at.
     */
    private static String fenced(String set, String expected) {
        return "UPDATE orders SET " + (set == null ? "" : set + ", ") + "updated_at = now() "
                + "WHERE order_id = ? AND lease_epoch = ? AND " + expected + " RETURNING " + COLUMNS;
    }

    /** The set clause's arguments, the order id and the epoch, then whatever the statement binds after them. */
    private static Object[] args(Lease lease, Object[] setArgs, Object... after) {
        Object[] args = new Object[setArgs.length + 2 + after.length];
        System.arraycopy(setArgs, 0, args, 0, setArgs.length);
        args[setArgs.length] = lease.orderId();
        args[setArgs.length + 1] = lease.epoch();
        System.arraycopy(after, 0, args, setArgs.length + 2, after.length);
        return args;
    }

    private Order one(Lease lease, List<Order> moved) {
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

    private <T> T read(String value, Class<T> type) {
        try {
            return json.readValue(value, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
