package shop.payment.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A local stand-in for Stripe's API (the third party is the only thing the tests replace), speaking the parts the
 * payment service uses: {@code POST /v1/payment_intents} - the only request that creates an intent - with
 * idempotency keys (replay of the first answer, {@code Idempotent-Replayed: true}; 400 {@code idempotency_error}
 * for a key reused with other parameters; 409 while the first request is still in flight), card declines as 402,
 * an unknown payment method as 400 on {@code payment_method}, {@code GET /v1/payment_intents/{id}},
 * {@code GET /v1/payment_intents/search?query=metadata['<field>']:'<value>'}, {@code POST /v1/refunds}
 * ({@code charge_already_refunded}) and bearer authentication.
 *
 * <p>Faults: {@link #failNextPosts} answers 500 without processing; {@link #holdNextChargeResponse} processes
 * and records the charge, then withholds the response until {@link #releaseHeld} (the client times out first).
 */
public final class StripeStub implements AutoCloseable {

    public static final String API_KEY = "sk_test_stub_0123456789";
    private static final Pattern METADATA_QUERY = Pattern.compile("metadata\\['(\\w+)'\\]:'([^']*)'");

    private final ObjectMapper json = new ObjectMapper();
    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final Object lock = new Object();
    private final Map<String, Stored> idempotent = new LinkedHashMap<>();
    private final Map<String, Map<String, Object>> intents = new LinkedHashMap<>();
    private final Map<String, List<String>> refundsByIntent = new LinkedHashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger ids = new AtomicInteger();
    private final AtomicInteger failNext = new AtomicInteger();
    private volatile boolean holdNext;
    private volatile CountDownLatch held = new CountDownLatch(0);

    public record Request(String method, String path, Map<String, String> headers, Map<String, String> form) {

        public String header(String name) {
            return headers.get(name.toLowerCase());
        }
    }

    private record Stored(Map<String, String> form, int status, Object body, boolean complete) {
    }

    public StripeStub() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(threads);
        server.createContext("/", this::handle);
        server.start();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public void reset() {
        releaseHeld();
        synchronized (lock) {
            idempotent.clear();
            intents.clear();
            refundsByIntent.clear();
        }
        requests.clear();
        failNext.set(0);
        holdNext = false;
    }

    /** The next n POSTs (charges, refunds) answer 500 without doing anything. */
    public void failNextPosts(int n) {
        failNext.set(n);
    }

    public void holdNextChargeResponse() {
        held = new CountDownLatch(1);
        holdNext = true;
    }

    public void releaseHeld() {
        held.countDown();
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    public List<Request> requests(String method, String path) {
        return requests.stream().filter(r -> r.method().equals(method) && r.path().equals(path)).toList();
    }

    /** Payment intents created (not replays), by idempotency key. */
    public long intentsCreatedFor(String idempotencyKey) {
        synchronized (lock) {
            return intents.values().stream().filter(i -> idempotencyKey.equals(metadata(i).get("idempotencyKey"))).count();
        }
    }

    public String intentStatus(String intentId) {
        synchronized (lock) {
            Map<String, Object> intent = intents.get(intentId);
            return intent == null ? null : (String) intent.get("status");
        }
    }

    public int refundsOf(String intentId) {
        synchronized (lock) {
            return refundsByIntent.getOrDefault(intentId, List.of()).size();
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> metadata(Map<String, Object> intent) {
        return (Map<String, String>) intent.get("metadata");
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String method = ex.getRequestMethod();
            String path = ex.getRequestURI().getPath();
            Map<String, String> headers = new LinkedHashMap<>();
            ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(), v.get(0)));
            Map<String, String> form = parseForm(readAll(ex.getRequestBody()));
            if (ex.getRequestURI().getRawQuery() != null) {
                form.putAll(parseForm(ex.getRequestURI().getRawQuery()));
            }
            requests.add(new Request(method, path, headers, form));
            if (!("Bearer " + API_KEY).equals(headers.get("authorization"))) {
                respond(ex, 401, error("invalid_request_error", null, "Invalid API Key provided", null), false);
                return;
            }
            if (method.equals("POST") && failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                respond(ex, 500, error("api_error", null, "An unknown error occurred", null), false);
            } else if (method.equals("POST") && path.equals("/v1/payment_intents")) {
                createIntent(ex, headers.get("idempotency-key"), form);
            } else if (method.equals("GET") && path.equals("/v1/payment_intents/search")) {
                search(ex, form.get("query"));
            } else if (method.equals("GET") && path.startsWith("/v1/payment_intents/")) {
                Map<String, Object> intent;
                synchronized (lock) {
                    intent = intents.get(path.substring("/v1/payment_intents/".length()));
                }
                respond(ex, intent == null ? 404 : 200, intent == null ? error("invalid_request_error", "resource_missing", "No such payment_intent", "intent") : intent, false);
            } else if (method.equals("POST") && path.startsWith("/v1/payment_intents/") && path.endsWith("/cancel")) {
                synchronized (lock) {
                    Map<String, Object> intent = intents.get(path.split("/")[3]);
                    if (intent != null) {
                        intent.put("status", "canceled");
                    }
                    respond(ex, intent == null ? 404 : 200, intent == null ? Map.of() : intent, false);
                }
            } else if (method.equals("POST") && path.equals("/v1/refunds")) {
                refund(ex, headers.get("idempotency-key"), form);
            } else {
                respond(ex, 404, error("invalid_request_error", "resource_missing", "Unrecognized request URL", null), false);
            }
        } catch (IOException e) {
            // the client went away (a timeout): nothing to answer
        }
    }

    private void createIntent(HttpExchange ex, String key, Map<String, String> form) throws IOException {
        Stored stored;
        boolean replay;
        synchronized (lock) {
            Stored previous = key == null ? null : idempotent.get(key);
            if (previous != null) {
                if (!previous.form().equals(form)) {
                    respond(ex, 400, error("idempotency_error", null,
                            "Keys for idempotent requests can only be used with the same parameters they were first used with.", null), false);
                    return;
                }
                if (!previous.complete()) {
                    respond(ex, 409, error("idempotency_error", "idempotency_key_in_use",
                            "There is currently another in-progress request using this Idempotent Key", null), false);
                    return;
                }
                stored = previous;
                replay = true;
            } else {
                stored = process(form);
                replay = false;
                if (key != null) {
                    idempotent.put(key, stored);
                }
            }
        }
        if (!replay && holdNext) {
            holdNext = false;
            try {
                held.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        respond(ex, stored.status(), stored.body(), replay);
    }

    /** Must hold {@link #lock}. */
    private Stored process(Map<String, String> form) {
        String id = "pi_stub" + ids.incrementAndGet();
        String pm = form.getOrDefault("payment_method", "");
        Map<String, Object> intent = new LinkedHashMap<>();
        intent.put("id", id);
        intent.put("object", "payment_intent");
        intent.put("amount", Long.parseLong(form.getOrDefault("amount", "0")));
        intent.put("currency", form.get("currency"));
        intent.put("payment_method", pm);
        Map<String, String> metadata = new LinkedHashMap<>();
        form.forEach((k, v) -> {
            if (k.startsWith("metadata[")) {
                metadata.put(k.substring(9, k.length() - 1), v);
            }
        });
        intent.put("metadata", metadata);
        switch (pm) {
            case "pm_card_visa", "pm_card_mastercard" -> {
                intent.put("status", "succeeded");
                intents.put(id, intent);
                return new Stored(form, 200, intent, true);
            }
            case "pm_card_chargeDeclined", "pm_card_chargeDeclinedInsufficientFunds" -> {
                String declineCode = pm.endsWith("InsufficientFunds") ? "insufficient_funds" : "generic_decline";
                intent.put("status", "requires_payment_method");
                intent.put("last_payment_error", Map.of("type", "card_error", "code", "card_declined", "decline_code", declineCode));
                intents.put(id, intent);
                Map<String, Object> err = error("card_error", "card_declined", "Your card was declined.", null);
                @SuppressWarnings("unchecked") Map<String, Object> e = (Map<String, Object>) err.get("error");
                e.put("decline_code", declineCode);
                e.put("payment_intent", intent);
                return new Stored(form, 402, err, true);
            }
            default -> {
                return new Stored(form, 400, error("invalid_request_error", "resource_missing",
                        "No such PaymentMethod: '" + pm + "'", "payment_method"), true);
            }
        }
    }

    /** Stripe's search query language as far as the service uses it: {@code metadata['<field>']:'<value>'}. */
    private void search(HttpExchange ex, String query) throws IOException {
        Matcher m = METADATA_QUERY.matcher(query == null ? "" : query);
        if (!m.matches()) {
            respond(ex, 400, error("invalid_request_error", "parameter_invalid", "unsupported query: " + query, "query"), false);
            return;
        }
        List<Map<String, Object>> data = new ArrayList<>();
        synchronized (lock) {
            intents.values().stream().filter(i -> m.group(2).equals(metadata(i).get(m.group(1)))).forEach(data::add);
        }
        respond(ex, 200, Map.of("object", "search_result", "data", data, "has_more", false), false);
    }

    private void refund(HttpExchange ex, String key, Map<String, String> form) throws IOException {
        synchronized (lock) {
            Stored previous = key == null ? null : idempotent.get(key);
            if (previous != null) {
                respond(ex, previous.status(), previous.body(), true);
                return;
            }
            Map<String, Object> intent = intents.get(form.get("payment_intent"));
            Stored stored;
            if (intent == null) {
                stored = new Stored(form, 400, error("invalid_request_error", "resource_missing", "No such payment_intent", "payment_intent"), true);
            } else if ("refunded".equals(intent.get("refund_status"))) {
                stored = new Stored(form, 400, error("invalid_request_error", "charge_already_refunded", "Charge has already been refunded.", null), true);
            } else if (!"succeeded".equals(intent.get("status"))) {
                stored = new Stored(form, 400, error("invalid_request_error", "payment_intent_unexpected_state", "not succeeded", null), true);
            } else {
                String id = "re_stub" + ids.incrementAndGet();
                intent.put("refund_status", "refunded");
                refundsByIntent.computeIfAbsent((String) intent.get("id"), k -> new ArrayList<>()).add(id);
                stored = new Stored(form, 200, Map.of("id", id, "object", "refund", "payment_intent", intent.get("id"), "status", "succeeded"), true);
            }
            if (key != null) {
                idempotent.put(key, stored);
            }
            respond(ex, stored.status(), stored.body(), false);
        }
    }

    private static Map<String, Object> error(String type, String code, String message, String param) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("type", type);
        if (code != null) {
            e.put("code", code);
        }
        e.put("message", message);
        if (param != null) {
            e.put("param", param);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", e);
        return body;
    }

    private void respond(HttpExchange ex, int status, Object body, boolean replay) throws IOException {
        byte[] bytes = json.writeValueAsBytes(body);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        if (replay) {
            ex.getResponseHeaders().set("Idempotent-Replayed", "true");
        }
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static String readAll(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }

    private static Map<String, String> parseForm(String text) {
        Map<String, String> form = new LinkedHashMap<>();
        if (text == null || text.isEmpty()) {
            return form;
        }
        for (String pair : text.split("&")) {
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            form.put(k, v);
        }
        return form;
    }

    @Override
    public void close() {
        releaseHeld();
        server.stop(0);
        threads.shutdownNow();
    }
}
