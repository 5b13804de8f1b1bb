package shop.inventory.product;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeSet;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The {@code products} table. Every change of stock runs on rows locked by {@link #lockInOrder}: rows are
 * always locked in {@code product_id} order, so two transactions touching the same products wait for each
 * other instead of deadlocking, whatever order their lines came in.
 */
@Repository
public class ProductStore {

    private static final String COLUMNS = "product_id, name, price_cents, currency, available, reserved";
    private static final RowMapper<Product> PRODUCT = (rs, i) -> new Product(rs.getString(1), rs.getString(2),
            rs.getLong(3), rs.getString(4), rs.getInt(5), rs.getInt(6));

    private final JdbcTemplate jdbc;

    public ProductStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<Product> find(String productId) {
        return jdbc.query("SELECT " + COLUMNS + " FROM products WHERE product_id = ?", PRODUCT, productId).stream().findFirst();
    }

    /**
     * Locks the rows of the given products ({@code FOR UPDATE}, in product_id order) until the transaction ends
     * and returns those that exist, by id.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public Map<String, Product> lockInOrder(Collection<String> productIds) {
        Map<String, Product> locked = new LinkedHashMap<>();
        if (productIds.isEmpty()) {
            return locked;
        }
        String[] ids = new TreeSet<>(productIds).toArray(String[]::new);
        jdbc.query("SELECT " + COLUMNS + " FROM products WHERE product_id = ANY(?) ORDER BY product_id FOR UPDATE",
                PRODUCT, (Object) ids).forEach(p -> locked.put(p.productId(), p));
        return locked;
    }

    /** A new reservation: quantities move from available to reserved. Rows must be locked. */
    @Transactional(propagation = Propagation.MANDATORY)
    public void hold(SortedMap<String, Integer> quantities) {
        move(quantities, -1, +1);
    }

    /** A held reservation ends unconfirmed (released, expired): quantities move from reserved back to available. */
    @Transactional(propagation = Propagation.MANDATORY)
    public void returnHeld(SortedMap<String, Integer> quantities) {
        move(quantities, +1, -1);
    }

    /** A held reservation is confirmed: its units are sold and leave reserved. */
    @Transactional(propagation = Propagation.MANDATORY)
    public void sellHeld(SortedMap<String, Integer> quantities) {
        move(quantities, 0, -1);
    }

    /** A confirmed reservation is released (its order was compensated): its units return to available. */
    @Transactional(propagation = Propagation.MANDATORY)
    public void returnSold(SortedMap<String, Integer> quantities) {
        move(quantities, +1, 0);
    }

    private void move(SortedMap<String, Integer> quantities, int availableSign, int reservedSign) {
        List<Object[]> rows = quantities.entrySet().stream()
                .map(e -> new Object[] {availableSign * e.getValue(), reservedSign * e.getValue(), e.getKey()})
                .toList();
        int[][] counts = jdbc.batchUpdate(
                "UPDATE products SET available = available + ?, reserved = reserved + ?, updated_at = now() WHERE product_id = ?",
                rows, rows.size(), (ps, row) -> {
                    ps.setInt(1, (Integer) row[0]);
                    ps.setInt(2, (Integer) row[1]);
                    ps.setString(3, (String) row[2]);
                });
        for (int[] batch : counts) {
            for (int count : batch) {
                if (count != 1) {
                    throw new IllegalStateException("stock change did not find its product row: " + quantities.keySet());
                }
            }
        }
    }

    /**
     * Creates the product or sets its name, price, currency and free stock ({@code reserved} is left alone).
     * Safe against a concurrent create of the same id.
     */
    @Transactional
    public Saved save(String productId, String name, long priceCents, String currency, int available) {
        for (int attempt = 0; attempt < 2; attempt++) {
            List<Product> updated = jdbc.query("UPDATE products SET name = ?, price_cents = ?, currency = ?, available = ?, "
                    + "updated_at = now() WHERE product_id = ? RETURNING " + COLUMNS,
                    PRODUCT, name, priceCents, currency, available, productId);
            if (!updated.isEmpty()) {
                return new Saved(updated.get(0), false);
            }
            List<Product> inserted = jdbc.query("INSERT INTO products (product_id, name, price_cents, currency, available) "
                    + "VALUES (?, ?, ?, ?, ?) ON CONFLICT (product_id) DO NOTHING RETURNING " + COLUMNS,
                    PRODUCT, productId, name, priceCents, currency, available);
            if (!inserted.isEmpty()) {
                return new Saved(inserted.get(0), true);
            }
            // another request created it between our UPDATE and INSERT: update that row
        }
        throw new IllegalStateException("product " + productId + " could neither be created nor updated");
    }

    /** The outcome of {@link #save}: the product as stored, and whether it was new. */
    public record Saved(Product product, boolean created) {
    }

    /** Products with no free stock (a gauge). */
    public long countSoldOut() {
        Long n = jdbc.queryForObject("SELECT count(*) FROM products WHERE available = 0", Long.class);
        return n == null ? 0 : n;
    }
}
