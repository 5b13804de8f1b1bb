package shop.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The load: {@code POST /orders}, which answers when the saga has finished, so a 201 is a confirmed order.
 * Latencies go into an HDR histogram (1 us to 60 s, 3 significant digits); a live line shows the last second.
 *
 * <ul>
 *   <li>{@link #run closed loop} (warm-up, throughput): each connection places an order, waits for the answer,
 *   places the next. The client is the JDK's blocking {@link HttpURLConnection} with keep-alive, one connection
 *   per loop: it shares the two cores with the system under test, and it costs about two thirds of the CPU per
 *   request that {@code java.net.http.HttpClient} did (docs/performance.md).</li>
 *   <li>{@link #openLoop open loop} (latency, issue #17): one sender thread issues orders at a fixed arrival rate
 *   ({@link ArrivalSchedule}) through the asynchronous {@link HttpClient}, never waiting for an answer, and each
 *   latency counts from the request's intended send time, so queueing delay is in it.</li>
 * </ul>
 */
final class LoadGenerator {

    private static final long MAX_LATENCY_US = Duration.ofSeconds(60).toNanos() / 1000;
    private static final long SECOND = Duration.ofSeconds(1).toNanos();
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    /** Customers the open loop's orders are spread over (the closed loop has one per connection). */
    static final int OPEN_LOOP_CUSTOMERS = 32;

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

    /**
     * What an open-loop phase asked and did: the arrival rate asked, the requests sent, and how far behind its
     * schedule the sender ever was (near 0 when the client kept up; the latencies count from the schedule anyway).
     */
    record OpenLoop(double askedPerSecond, long sent, double maxSenderLagMs) {
    }

    /**
     * What one phase measured, in total and second by second (for the chart, BenchChart). {@code connections} is
     * the closed loop's; {@code openLoop} is null for a closed loop.
     */
    record Result(String phase, int connections, OpenLoop openLoop, Duration elapsed, long confirmed, long errors,
                  Map<String, Long> errorsByCause, Histogram latency, List<Second> timeline) {

        double ordersPerSecond() {
            return confirmed / (elapsed.toNanos() / 1e9);
        }

        double percentileMs(double percentile) {
            return latency.getValueAtPercentile(percentile) / 1000.0;
        }

        double maxMs() {
            return latency.getMaxValue() / 1000.0;
        }

        /** "32 connections" or "open loop, 45 orders/s". */
        String load() {
            return openLoop == null ? connections + " connections" : String.format(Locale.ROOT, "open loop, %.0f orders/s", openLoop.askedPerSecond());
        }

        /** "32" or "45/s", for legends. */
        String shortLoad() {
            return openLoop == null ? Integer.toString(connections) : String.format(Locale.ROOT, "%.0f/s", openLoop.askedPerSecond());
        }
    }

    /** The closed loop: {@code connections} loops of order, answer, next order, for {@code duration}. */
    Result run(String phase, int connections, Duration duration) throws InterruptedException, IOException {
        Recorder recorder = new Recorder(MAX_LATENCY_US, 3);
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
                    count(cause, confirmed, errors, errorsByCause);
                }
            }, phase + "-" + i);
            workers[i].start();
        }

        Histogram total = new Histogram(MAX_LATENCY_US, 3);
        List<Second> timeline = watch(new Progress(phase, connections + " conns", duration), start, deadline, recorder, total, confirmed, errors);
        for (Thread worker : workers) {
            worker.join();
        }
        long elapsed = System.nanoTime() - start;
        total.add(recorder.getIntervalHistogram());
        return new Result(phase, connections, null, Duration.ofNanos(elapsed), confirmed.sum(), errors.get(), Map.copyOf(errorsByCause), total,
                timeline);
    }

    /**
     * The open loop: {@code POST /orders} at {@code perSecond} for {@code duration}, each sent when it is due
     * whether or not earlier ones were answered, each latency from its due time. Waits for the last answers (up
     * to the request timeout) before it returns; the rate achieved is the 201s over the schedule's length.
     */
    Result openLoop(String phase, double perSecond, Duration duration) throws InterruptedException {
        Recorder recorder = new Recorder(MAX_LATENCY_US, 3);
        LongAdder confirmed = new LongAdder();
        AtomicLong errors = new AtomicLong();
        Map<String, Long> errorsByCause = new ConcurrentHashMap<>();
        URI orders = URI.create(system.orderUrl() + "/orders");
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < OPEN_LOOP_CUSTOMERS; i++) {
            tokens.add(system.customer("bench-customer-" + i));
        }
        // HTTP/1.1 (no h2c upgrade attempt); the client opens a connection per request in flight and keeps them
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        long start = System.nanoTime() + Duration.ofMillis(20).toNanos();
        ArrivalSchedule schedule = new ArrivalSchedule(start, perSecond);
        long deadline = start + duration.toNanos();
        long requests = schedule.requestsIn(duration);
        CountDownLatch answered = new CountDownLatch((int) requests);
        LongAdder sent = new LongAdder();
        AtomicLong maxLagNanos = new AtomicLong();

        Thread sender = new Thread(() -> {
            for (long i = 0; i < requests; i++) {
                long intended = schedule.intendedNanos(i);
                // the schedule's pace: park until the request is due (never for an answer)
                for (long wait = intended - System.nanoTime(); wait > 0; wait = intended - System.nanoTime()) {
                    LockSupport.parkNanos(wait);
                }
                maxLagNanos.accumulateAndGet(System.nanoTime() - intended, Math::max);
                sent.increment();
                HttpRequest request = HttpRequest.newBuilder(orders).timeout(REQUEST_TIMEOUT)
                        .header("Authorization", tokens.get((int) (i % tokens.size())))
                        .header("Content-Type", "application/json")
                        .header("Idempotency-Key", UUID.randomUUID().toString())
                        .POST(HttpRequest.BodyPublishers.ofByteArray(orderBody())).build();
                try {
                    client.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((response, failure) -> {
                        recorder.recordValue(Math.min(ArrivalSchedule.latencyMicros(intended, System.nanoTime()), MAX_LATENCY_US));
                        String cause = failure != null ? rootCause(failure)
                                : response.statusCode() == 201 ? null : "HTTP " + response.statusCode() + " " + abbreviate(response.body());
                        count(cause, confirmed, errors, errorsByCause);
                        answered.countDown();
                    });
                } catch (RuntimeException e) {
                    count(e.getClass().getSimpleName(), confirmed, errors, errorsByCause);
                    answered.countDown();
                }
            }
        }, phase + "-sender");
        sender.start();

        Histogram total = new Histogram(MAX_LATENCY_US, 3);
        List<Second> timeline = watch(new Progress(phase, String.format(Locale.ROOT, "%.0f/s", perSecond), duration),
                start, deadline, recorder, total, confirmed, errors);
        sender.join();
        if (!answered.await(REQUEST_TIMEOUT.plusSeconds(10).toSeconds(), TimeUnit.SECONDS)) {
            errorsByCause.merge("no answer after the request timeout", answered.getCount(), Long::sum);
            errors.addAndGet(answered.getCount());
        }
        total.add(recorder.getIntervalHistogram());
        OpenLoop open = new OpenLoop(perSecond, sent.sum(), maxLagNanos.get() / 1e6);
        return new Result(phase, 0, open, Duration.ofNanos(deadline - start), confirmed.sum(), errors.get(), Map.copyOf(errorsByCause),
                total, timeline);
    }

    /** Second by second until {@code deadline}: the interval's answers into {@code total}, the live line, the timeline. */
    private static List<Second> watch(Progress progress, long start, long deadline, Recorder recorder, Histogram total,
                                      LongAdder confirmed, AtomicLong errors) throws InterruptedException {
        List<Second> timeline = new ArrayList<>();
        long lastConfirmed = 0;
        for (long tick = start + SECOND; tick - SECOND < deadline; tick += SECOND) {
            // a tick each second from the start, the last one at the deadline
            long until = Math.min(tick, deadline);
            for (long wait = until - System.nanoTime(); wait > 0; wait = until - System.nanoTime()) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
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
        progress.done();
        return List.copyOf(timeline);
    }

    private static void count(String cause, LongAdder confirmed, AtomicLong errors, Map<String, Long> errorsByCause) {
        if (cause == null) {
            confirmed.increment();
        } else {
            errors.incrementAndGet();
            errorsByCause.merge(cause, 1L, Long::sum);
        }
    }

    private static String rootCause(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null && cause != cause.getCause()) {
            cause = cause.getCause();
        }
        return cause.getClass().getSimpleName();
    }

    /** One unit of a random product. */
    private byte[] orderBody() {
        String product = products.get(ThreadLocalRandom.current().nextInt(products.size()));
        return ("{\"items\":[{\"productId\":\"" + product + "\",\"quantity\":1}],\"paymentMethod\":\"pm_card_visa\","
                + "\"shippingAddress\":{\"name\":\"Ada Lovelace\",\"line1\":\"1 Main St\",\"city\":\"London\","
                + "\"postalCode\":\"N1 9GU\",\"country\":\"GB\"}}").getBytes(StandardCharsets.UTF_8);
    }

    /** One order for one unit of a random product; returns null when confirmed, else what went wrong. */
    private String placeOrder(URL orders, String token, Recorder recorder) {
        byte[] body = orderBody();
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
        private final String load;
        private final Duration duration;
        private final boolean terminal = System.console() != null;

        Progress(String phase, String load, Duration duration) {
            this.phase = phase;
            this.load = load;
            this.duration = duration;
        }

        void show(Duration elapsed, long confirmedInInterval, Histogram interval, long errors) {
            String line = String.format("  %-10s %8s  %3d/%d s  %5d orders/s  p50 %6.1f ms  p99 %7.1f ms  errors %d",
                    phase, load, elapsed.toSeconds(), duration.toSeconds(), confirmedInInterval,
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
