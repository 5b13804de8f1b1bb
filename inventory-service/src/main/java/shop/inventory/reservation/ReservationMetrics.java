package shop.inventory.reservation;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import shop.inventory.product.ProductStore;

/**
 * What an operator watches on the inventory (Prometheus names):
 * <ul>
 * <li>{@code shop_inventory_reserve_outcomes_total{outcome}}: reserve answers - reserved, out_of_stock,
 * unknown_product, currency_mismatch, refused (repeats of an already answered reserve are not counted);</li>
 * <li>{@code shop_inventory_reservations_expired_total}: reservations the expiry worker (or a late command) gave
 * back because no confirm came within the TTL - a rise means sagas are not finishing;</li>
 * <li>{@code shop_inventory_reservations_held}: reservations holding stock right now (database-wide);</li>
 * <li>{@code shop_inventory_products_sold_out}: products with no free stock (database-wide).</li>
 * </ul>
 * Counters move only when the transaction that made the change commits.
 */
@Component
public class ReservationMetrics {

    public static final String RESERVED = "reserved";
    public static final String OUT_OF_STOCK = "out_of_stock";
    public static final String UNKNOWN_PRODUCT = "unknown_product";
    public static final String CURRENCY_MISMATCH = "currency_mismatch";
    public static final String REFUSED = "refused";

    private final MeterRegistry meters;
    private final Counter expired;
    private final Map<String, Counter> outcomes = new ConcurrentHashMap<>();

    public ReservationMetrics(MeterRegistry meters, ReservationStore reservations, ProductStore products) {
        this.meters = meters;
        this.expired = Counter.builder("shop.inventory.reservations.expired")
                .description("reservations released because they were not confirmed within the TTL").register(meters);
        for (String outcome : new String[] {RESERVED, OUT_OF_STOCK, UNKNOWN_PRODUCT, CURRENCY_MISMATCH, REFUSED}) {
            outcome(outcome);
        }
        Gauge.builder("shop.inventory.reservations.held", reservations, r -> safely(r::countHeld))
                .description("reservations holding stock and waiting for a confirm").register(meters);
        Gauge.builder("shop.inventory.products.sold.out", products, p -> safely(p::countSoldOut))
                .description("products with no free stock").register(meters);
    }

    public void reserveOutcome(String outcome) {
        Counter counter = outcome(outcome);
        afterCommit(counter::increment);
    }

    public void expired(int count) {
        afterCommit(() -> expired.increment(count));
    }

    private Counter outcome(String outcome) {
        return outcomes.computeIfAbsent(outcome, o -> Counter.builder("shop.inventory.reserve.outcomes").tag("outcome", o)
                .description("answers to inventory.reserve commands, by outcome").register(meters));
    }

    private static void afterCommit(Runnable action) {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            action.run();
            return;
        }
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                action.run();
            }
        });
    }

    private static double safely(LongSupplier query) {
        try {
            return query.getAsLong();
        } catch (RuntimeException e) {
            return Double.NaN;
        }
    }
}
