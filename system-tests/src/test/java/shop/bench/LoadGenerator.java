package shop.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * A closed loop: each connection places an order, waits for the answer, places the next. {@code POST /orders}
 * answers when the saga has finished, so a 201 is a confirmed order. Latencies go into an HDR histogram (1 us to
 * 60 s, 3 significant digits); a live line shows the last second.
 *
 * <p>The client is the JDK's blocking {@link HttpURLConnection} with keep-alive, one connection per loop: it
 * shares the two cores with the system under test, and it costs about two thirds of the CPU per request that
 * {@code java.net.http.HttpClient} did (docs/performance.md).
 */
final class LoadGenerator {

    private static final long MAX_LATENCY_US = Duration.ofSeconds(60).toNanos() / 1000;

    private final BenchSystem system;
    private final List<String> products;
    static {
        // keep-alive for every loop's connection (the default keeps 5 per host and reconnects the rest)
        System.setProperty("http.maxConnections", "256");
    }

    LoadGenerator(BenchSystem system, List<String> products) {
        this.system = system;
        this.products = products;
    }

    /** One second of a phase: confirmed orders in it and the latency percentiles of the answers in it. */
    record Second(double atSeconds, long confirmed, double p50Ms, double p90Ms, double p99Ms, double maxMs) {
    }

    /** What one phase measured, in total and second by second (for the chart, BenchChart). */
    record Result(String phase, int connections, Duration elapsed, long confirmed, long errors,
                  Map<String, Long> errorsByCause, Histogram latency, List<Second> timeline) {

        double ordersPerSecond() {
            return confirmed / (elapsed.toNanos() / 1e9);
        }

        double percentileMs(double percentile) {
            return latency.getValueAtPercentile(percentile) / 1000.0;
        }
    }

    Result run(String phase, int connections, Duration duration) throws InterruptedException, IOException {
        Recorder recorder = new Recorder(MAX_LATENCY_US, 3);
        Histogram total = new Histogram(MAX_LATENCY_US, 3);
        LongAdder confirmed = new LongAdder();
        AtomicLong errors = new AtomicLong();
        Map<String, Long> errorsByCause = new ConcurrentHashMap<>();
        URL orders = new URL(system.orderUrl() + "/orders");
        long start = System.nanoTime();
        long deadline = start + duration.toNanos();

        Thread[] workers = new Thread[connections];
        for (int i = 0; i < connections; i++) {
            String token = system.customer("bench-customer-" + i);
            workers[i] = new Thread(() -> {
                while (System.nanoTime() < deadline) {
                    String cause = placeOrder(orders, token, recorder);
                    if (cause == null) {
                        confirmed.increment();
                    } else {
                        errors.incrementAndGet();
                        errorsByCause.merge(cause, 1L, Long::sum);
                    }
                }
            }, phase + "-" + i);
            workers[i].start();
        }

        Progress progress = new Progress(phase, connections, duration);
        List<Second> timeline = new ArrayList<>();
        long lastConfirmed = 0;
        while (System.nanoTime() < deadline) {
            Thread.sleep(1000);
            Histogram interval = recorder.getIntervalHistogram();
            total.add(interval);
            long now = confirmed.sum();
            Duration at = Duration.ofNanos(System.nanoTime() - start);
            progress.show(at, now - lastConfirmed, interval, errors.get());
            timeline.add(new Second(at.toMillis() / 1000.0, now - lastConfirmed, interval.getValueAtPercentile(50) / 1000.0,
                    interval.getValueAtPercentile(90) / 1000.0, interval.getValueAtPercentile(99) / 1000.0,
                    interval.getMaxValue() / 1000.0));
            lastConfirmed = now;
        }
        for (Thread worker : workers) {
            worker.join();
        }
        long elapsed = System.nanoTime() - start;
        total.add(recorder.getIntervalHistogram());
        progress.done();
        return new Result(phase, connections, Duration.ofNanos(elapsed), confirmed.sum(), errors.get(), Map.copyOf(errorsByCause), total,
                List.copyOf(timeline));
    }

    /** One order for one unit of a random product; returns null when confirmed, else what went wrong. */
    private String placeOrder(URL orders, String token, Recorder recorder) {
        String product = products.get(ThreadLocalRandom.current().nextInt(products.size()));
        byte[] body = ("{\"items\":[{\"productId\":\"" + product + "\",\"quantity\":1}],\"paymentMethod\":\"pm_card_visa\","
                + "\"shippingAddress\":{\"name\":\"Ada Lovelace\",\"line1\":\"1 Main St\",\"city\":\"London\","
                + "\"postalCode\":\"N1 9GU\",\"country\":\"GB\"}}").getBytes(StandardCharsets.UTF_8);
        long sent = System.nanoTime();
        try {
            HttpURLConnection http = (HttpURLConnection) orders.openConnection();
            http.setRequestMethod("POST");
            http.setDoOutput(true);
            http.setConnectTimeout(5000);
            http.setReadTimeout(30000);
            http.setFixedLengthStreamingMode(body.length);
            http.setRequestProperty("Authorization", token);
            http.setRequestProperty("Content-Type", "application/json");
            http.setRequestProperty("Idempotency-Key", UUID.randomUUID().toString());
            try (OutputStream out = http.getOutputStream()) {
                out.write(body);
            }
            int status = http.getResponseCode();
            // read the answer to the end, so that the connection goes back to the keep-alive cache
            String answer;
            try (InputStream in = status < 400 ? http.getInputStream() : http.getErrorStream()) {
                answer = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            recorder.recordValue(Math.min((System.nanoTime() - sent) / 1000, MAX_LATENCY_US));
            return status == 201 ? null : "HTTP " + status + " " + abbreviate(answer);
        } catch (Exception e) {
            recorder.recordValue(Math.min((System.nanoTime() - sent) / 1000, MAX_LATENCY_US));
            return e.getClass().getSimpleName();
        }
    }

    private static String abbreviate(String body) {
        return body.length() <= 80 ? body : body.substring(0, 80) + "...";
    }

    /** The live line: rewritten in place on a terminal, a line every 5 s in a log. */
    private static final class Progress {
        private final String phase;
        private final int connections;
        private final Duration duration;
        private final boolean terminal = System.console() != null;

        Progress(String phase, int connections, Duration duration) {
            this.phase = phase;
            this.connections = connections;
            this.duration = duration;
        }

        void show(Duration elapsed, long confirmedInInterval, Histogram interval, long errors) {
            String line = String.format("  %-10s %2d conns  %3d/%d s  %5d orders/s  p50 %6.1f ms  p99 %7.1f ms  errors %d",
                    phase, connections, elapsed.toSeconds(), duration.toSeconds(), confirmedInInterval,
                    interval.getValueAtPercentile(50) / 1000.0, interval.getValueAtPercentile(99) / 1000.0, errors);
            if (terminal) {
                System.out.print("\r" + line);
                System.out.flush();
            } else if (elapsed.toSeconds() % 5 == 0) {
                System.out.println(line);
            }
        }

        void done() {
            if (terminal) {
                System.out.println();
            }
        }
    }
}
