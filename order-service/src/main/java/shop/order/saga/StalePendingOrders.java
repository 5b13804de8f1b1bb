package shop.order.saga;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import shop.order.domain.OrderStatus;
import shop.order.domain.OrderStore;

/**
 * {@code shop_orders_pending_stale}: orders still PENDING although they were created longer ago than
 * {@code SAGA_STALE_AFTER_SECONDS} - the window after which the recovery route takes a silent saga over. The
 * recovery settles such an order within seconds, so a value that stays above 0 means sagas are stuck (alert
 * ShopOrdersPendingPastRecovery). Counted by one indexed query every recovery interval on a thread of its
 * own, never at scrape time: a slow or unreachable database cannot stall the scrape (the gauge is NaN then).
 */
@Component
public class StalePendingOrders implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(StalePendingOrders.class);

    private final OrderStore orders;
    private final int staleSeconds;
    private final ScheduledExecutorService timer;
    private volatile double count = Double.NaN;

    public StalePendingOrders(OrderStore orders, MeterRegistry meters,
                              @Value("${shop.saga.stale-after-seconds}") int staleSeconds,
                              @Value("${shop.saga.recovery-interval-ms}") long intervalMs) {
        this.orders = orders;
        this.staleSeconds = staleSeconds;
        Gauge.builder("shop.orders.pending.stale", this, StalePendingOrders::value)
                .description("orders PENDING for longer than the saga recovery window (SAGA_STALE_AFTER_SECONDS)")
                .register(meters);
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "stale-pending-orders");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(() -> refresh(), 0, Math.max(1000, intervalMs), TimeUnit.MILLISECONDS);
    }

    double value() {
        return count;
    }

    /** Counts again now and answers the new value (the timer calls it; tests may too). */
    public double refresh() {
        try {
            count = orders.count(OrderStatus.PENDING, staleSeconds);
        } catch (RuntimeException e) {
            count = Double.NaN;
            log.warn("cannot count the PENDING orders past the recovery window: {}", e.toString());
        }
        return count;
    }

    @Override
    public void destroy() {
        timer.shutdownNow();
    }
}
