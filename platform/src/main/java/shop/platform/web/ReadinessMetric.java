package shop.platform.web;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * {@code shop_ready}: 1 while the service is ready ({@code /ready} would answer 200: database, broker, routes),
 * 0 while it is not. A process that runs but lost its database or broker still answers the scrape, so this -
 * not {@code up} - is what tells (alert ShopServiceNotReady). Checked on a thread of its own every
 * {@code shop.ready.metric-interval-ms}, never at scrape time: a check that hangs cannot stall the scrape.
 */
public class ReadinessMetric implements AutoCloseable {

    private final BooleanSupplier ready;
    private final ScheduledExecutorService timer;
    private volatile double value = Double.NaN;

    public ReadinessMetric(BooleanSupplier ready, MeterRegistry meters, long intervalMs) {
        this.ready = ready;
        Gauge.builder("shop.ready", this, ReadinessMetric::value)
                .description("1 while the service is ready (what /ready answers), 0 while not").register(meters);
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "readiness-metric");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(() -> refresh(), 0, Math.max(1000, intervalMs), TimeUnit.MILLISECONDS);
    }

    double value() {
        return value;
    }

    /** Checks now and answers the new value (the timer calls it; tests may too). */
    public double refresh() {
        boolean now;
        try {
            now = ready.getAsBoolean();
        } catch (RuntimeException e) {
            now = false;
        }
        value = now ? 1 : 0;
        return value;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
