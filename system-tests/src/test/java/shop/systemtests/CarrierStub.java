package shop.systemtests;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;

/**
 * The carrier, the one third party of shipping, replaced by a local HTTP server speaking its API
 * ({@code POST /shipments} -> {@code {"trackingNumber"}}). Tests switch what it answers.
 */
public final class CarrierStub implements AutoCloseable {

    private final HttpServer server;
    private volatile int status = 201;
    private final AtomicInteger calls = new AtomicInteger();
    private final Map<String, AtomicInteger> callsByOrder = new ConcurrentHashMap<>();

    public CarrierStub() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/shipments", exchange -> {
            byte[] request = exchange.getRequestBody().readAllBytes();
            calls.incrementAndGet();
            String orderId = "unknown";
            try {
                JsonNode body = Http.JSON.readTree(request);
                orderId = body.path("orderId").asText("unknown");
            } catch (IOException ignored) {
                // answered below like any request
            }
            callsByOrder.computeIfAbsent(orderId, k -> new AtomicInteger()).incrementAndGet();
            int answer = status;
            byte[] response = answer < 300
                    ? ("{\"trackingNumber\":\"TRK-" + orderId.substring(0, Math.min(8, orderId.length())) + "\"}").getBytes(StandardCharsets.UTF_8)
                    : ("{\"error\":\"carrier says " + answer + "\"}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(answer, response.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(response);
            }
        });
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public void answer(int status) {
        this.status = status;
    }

    public int calls() {
        return calls.get();
    }

    public int callsFor(String orderId) {
        AtomicInteger n = callsByOrder.get(orderId);
        return n == null ? 0 : n.get();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
