package shop.inventory.reservation;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The {@code reservations} and {@code reservation_lines} tables. {@code order_id} is unique: whoever inserts
 * first for an order wins, everybody else reads what it left ({@link #insertHeld}, {@link #insertTombstone}).
 */
@Repository
public class ReservationStore {

    private static final String COLUMNS = "reservation_id, order_id, status, currency, total_cents, expires_at, "
            + "(status = 'HELD' AND expires_at <= now()) AS due, refusal, refused_product_id";
    private static final RowMapper<Reservation> RESERVATION = ReservationStore::reservation;
    private static final RowMapper<ReservationLine> LINE = (rs, i) ->
            new ReservationLine(rs.getString(1), rs.getInt(2), rs.getLong(3));

    private final JdbcTemplate jdbc;

    public ReservationStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** The order's reservation as last committed, without locking it. */
    public Optional<Reservation> findByOrder(UUID orderId) {
        return jdbc.query("SELECT " + COLUMNS + " FROM reservations WHERE order_id = ?", RESERVATION, orderId)
                .stream().findFirst();
    }

    /** The order's reservation, locked until the transaction ends (waits for a transaction holding it). */
    @Transactional(propagation = Propagation.MANDATORY)
    public Optional<Reservation> lockByOrder(UUID orderId) {
        return jdbc.query("SELECT " + COLUMNS + " FROM reservations WHERE order_id = ? FOR UPDATE", RESERVATION, orderId)
                .stream().findFirst();
    }

    public List<ReservationLine> lines(UUID reservationId) {
        return jdbc.query("SELECT product_id, quantity, unit_price_cents FROM reservation_lines WHERE reservation_id = ? "
                + "ORDER BY line_no", LINE, reservationId);
    }

    /**
     * Inserts a HELD reservation expiring {@code ttl} from now (database clock) with its lines, unless the order
     * already has a reservation or tombstone: then nothing is written and the answer is empty.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public Optional<Reservation> insertHeld(UUID reservationId, UUID orderId, String currency, long totalCents, Duration ttl,
                                            List<ReservationLine> lines) {
        Optional<Reservation> inserted = jdbc.query("INSERT INTO reservations (reservation_id, order_id, status, currency, "
                + "total_cents, expires_at) VALUES (?, ?, 'HELD', ?, ?, now() + make_interval(secs => ?)) "
                + "ON CONFLICT (order_id) DO NOTHING RETURNING " + COLUMNS,
                RESERVATION, reservationId, orderId, currency, totalCents, ttl.toMillis() / 1000.0).stream().findFirst();
        if (inserted.isEmpty()) {
            return inserted;
        }
        List<Object[]> rows = new ArrayList<>(lines.size());
        for (int i = 0; i < lines.size(); i++) {
            ReservationLine line = lines.get(i);
            rows.add(new Object[] {reservationId, i, line.productId(), line.quantity(), line.unitPriceCents()});
        }
        jdbc.batchUpdate("INSERT INTO reservation_lines (reservation_id, line_no, product_id, quantity, unit_price_cents) "
                + "VALUES (?, ?, ?, ?, ?)", rows);
        return inserted;
    }

    /**
     * Records that the order was released before anything was reserved for it, so that a reserve arriving late
     * is refused. False when the order has a reservation after all (inserted concurrently).
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public boolean insertTombstone(UUID orderId) {
        return jdbc.update("INSERT INTO reservations (reservation_id, order_id, status) VALUES (?, ?, 'RELEASED') "
                + "ON CONFLICT (order_id) DO NOTHING", UUID.randomUUID(), orderId) == 1;
    }

    /**
     * Remembers that the order's reserve was refused (a RELEASED row without lines carrying the refusal), so a
     * repeat answers the same. False when the order has a reservation after all (inserted concurrently).
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public boolean insertRefusal(UUID orderId, String refusal, String productId) {
        return jdbc.update("INSERT INTO reservations (reservation_id, order_id, status, refusal, refused_product_id) "
                + "VALUES (?, ?, 'RELEASED', ?, ?) ON CONFLICT (order_id) DO NOTHING",
                UUID.randomUUID(), orderId, refusal, productId) == 1;
    }

    /** Moves reservations that are in status {@code from} to status {@code to}; they must be locked. */
    @Transactional(propagation = Propagation.MANDATORY)
    public void changeStatus(Collection<UUID> reservationIds, ReservationStatus from, ReservationStatus to) {
        int changed = jdbc.update("UPDATE reservations SET status = ?, updated_at = now() "
                + "WHERE reservation_id = ANY(?::uuid[]) AND status = ?", to.name(), uuidArray(reservationIds), from.name());
        if (changed != reservationIds.size()) {
            throw new IllegalStateException("expected " + reservationIds.size() + " " + from + " reservation(s) to become "
                    + to + ", changed " + changed);
        }
    }

    /**
     * Locks up to {@code limit} HELD reservations whose time is up, oldest first. Rows another transaction holds
     * (a confirm, a release, another worker instance) are skipped, never waited for.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public List<Reservation> lockDue(int limit) {
        return jdbc.query("SELECT " + COLUMNS + " FROM reservations WHERE status = 'HELD' AND expires_at <= now() "
                + "ORDER BY expires_at LIMIT ? FOR UPDATE SKIP LOCKED", RESERVATION, limit);
    }

    /** The quantities the given reservations hold, summed by product, in product_id order. */
    public SortedMap<String, Integer> quantities(Collection<UUID> reservationIds) {
        SortedMap<String, Integer> byProduct = new TreeMap<>();
        jdbc.query("SELECT product_id, sum(quantity) FROM reservation_lines WHERE reservation_id = ANY(?::uuid[]) "
                + "GROUP BY product_id", rs -> {
                    byProduct.put(rs.getString(1), rs.getInt(2));
                }, (Object) uuidArray(reservationIds));
        return byProduct;
    }

    /** Reservations holding stock and waiting for a confirm (a gauge). */
    public long countHeld() {
        Long n = jdbc.queryForObject("SELECT count(*) FROM reservations WHERE status = 'HELD'", Long.class);
        return n == null ? 0 : n;
    }

    private static String[] uuidArray(Collection<UUID> ids) {
        return ids.stream().map(UUID::toString).toArray(String[]::new);
    }

    private static Reservation reservation(ResultSet rs, int row) throws SQLException {
        long total = rs.getLong(5);
        Long totalCents = rs.wasNull() ? null : total;
        Timestamp expires = rs.getTimestamp(6);
        return new Reservation(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class),
                ReservationStatus.valueOf(rs.getString(3)), rs.getString(4), totalCents,
                expires == null ? null : expires.toInstant(), rs.getBoolean(7), rs.getString(8), rs.getString(9));
    }
}
