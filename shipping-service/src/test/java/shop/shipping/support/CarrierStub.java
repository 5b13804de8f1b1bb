package shop.shipping.support;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A carrier speaking the carrier API (POST /shipments, Idempotency-Key, 2xx {"trackingNumber"}) on a random
 * local port, switchable between answers. Like a real idempotent carrier it returns the same tracking
 * number for the same key. Records every call.
 */
public final class CarrierStub implements AutoCloseable {

    public enum Mode { OK, UNAVAILABLE_503, REJECT_400, TOO_MANY_429, SLOW, NO_TRACKING }

    public record Call(String idempotencyKey, String contentType, String traceparent, JsonNode body) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final AtomicReference<Mode> mode = new AtomicReference<>(Mode.OK);
    private final AtomicInteger failuresLeft = new AtomicInteger(Integer.MAX_VALUE);
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> callsByOrder = new ConcurrentHashMap<>();
    private volatile CountDownLatch slowRelease = new CountDownLatch(1);
    private final long slowMillis;

    public CarrierStub(long slowMillis) {
        this.slowMillis = slowMillis;
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.setExecutor(Executors.newFixedThreadPool(8, r -> {
            Thread t = new Thread(r, "carrier-stub");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/shipments", this::handle);
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public void mode(Mode next) {
        mode.set(next);
        failuresLeft.set(Integer.MAX_VALUE);
    }

    /** Answers {@code failure} to the next {@code times} calls, then books again. */
    public void failTimes(int times, Mode failure) {
        failuresLeft.set(times);
        mode.set(failure);
    }

    public void reset() {
        mode.set(Mode.OK);
        failuresLeft.set(Integer.MAX_VALUE);
        calls.clear();
        callsByOrder.clear();
        slowRelease.countDown();
        slowRelease = new CountDownLatch(1);
    }

    public int callsFor(Object orderId) {
        AtomicInteger n = callsByOrder.get(orderId.toString());
        return n == null ? 0 : n.get();
    }

    public List<Call> calls() {
        return List.copyOf(calls);
    }

    public static String trackingFor(Object orderId) {
        return "TRK-" + orderId.toString().substring(0, 8).toUpperCase();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!"POST".equals(exchange.getRequestMethod())) {
                respond(exchange, 405, "{\"error\":\"method\"}");
                return;
            }
            JsonNode body;
            try (InputStream in = exchange.getRequestBody()) {
                body = JSON.readTree(in);
            }
            String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
            calls.add(new Call(key, exchange.getRequestHeaders().getFirst("Content-Type"),
                    exchange.getRequestHeaders().getFirst("traceparent"), body));
            String orderId = body.path("orderId").asText();
            callsByOrder.computeIfAbsent(orderId, k -> new AtomicInteger()).incrementAndGet();
            Mode answer = mode.get();
            if (answer != Mode.OK && failuresLeft.getAndDecrement() <= 0) {
                answer = Mode.OK;
            }
            switch (answer) {
                case OK -> respond(exchange, 201, "{\"trackingNumber\":\"" + trackingFor(key) + "\",\"carrierRef\":\"x\"}");
                case UNAVAILABLE_503 -> respond(exchange, 503, "{\"error\":\"maintenance\"}");
                case REJECT_400 -> respond(exchange, 400, "{\"error\":\"address not deliverable\"}");
                case TOO_MANY_429 -> respond(exchange, 429, "{\"error\":\"slow down\"}");
                case NO_TRACKING -> respond(exchange, 201, "{\"status\":\"ok\"}");
                case SLOW -> {
                    // an unresponsive carrier: answers only after the client's deadline (or when the test ends)
                    slowRelease.await(slowMillis, TimeUnit.MILLISECONDS);
                    respond(exchange, 201, "{\"trackingNumber\":\"" + trackingFor(key) + "\"}");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // client went away (timeout): nothing to answer
        }
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        slowRelease.countDown();
        server.stop(0);
    }
}
