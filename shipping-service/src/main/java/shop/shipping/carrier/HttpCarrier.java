package shop.shipping.carrier;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import shop.contracts.order.OrderConfirmed;
import shop.platform.messaging.PermanentMessageFailure;
import shop.platform.tracing.TraceContext;

/**
 * The carrier's HTTP API (CONTRACT.md, Shipping): {@code POST {url}/shipments} with
 * {@code {"orderId","address","items"}} and {@code Idempotency-Key: <orderId>}, answered 2xx
 * {@code {"trackingNumber":"..."}}.
 *
 * <ul>
 *   <li>2xx with a tracking number: booked.</li>
 *   <li>4xx: the carrier refuses this order; {@link PermanentMessageFailure}, dead-lettered at once. Except
 *       408, 409 (a request with the same idempotency key still in progress), 425 and 429 (rate limit),
 *       which say "not now" rather than "never": transient.</li>
 *   <li>5xx, any other status, no answer within the deadline, connection refused or reset, a 2xx without a
 *       tracking number: {@link CarrierUnavailableException}, retried with backoff, then dead-lettered.</li>
 * </ul>
 */
public class HttpCarrier implements Carrier {

    private static final Logger log = LoggerFactory.getLogger(HttpCarrier.class);
    private static final Set<Integer> TRANSIENT_4XX = Set.of(408, 409, 425, 429);
    private static final int MAX_ERROR_TEXT = 200;

    private final URI endpoint;
    private final Duration timeout;
    private final HttpClient http;
    private final ObjectMapper json;
    private final MeterRegistry meters;
    private final TraceContext trace;
    private final String name;

    public HttpCarrier(String baseUrl, Duration timeout, ObjectMapper json, MeterRegistry meters) {
        this(baseUrl, timeout, json, meters, () -> null);
    }

    public HttpCarrier(String baseUrl, Duration timeout, ObjectMapper json, MeterRegistry meters, TraceContext trace) {
        String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.endpoint = URI.create(base + "/shipments");
        this.timeout = timeout;
        this.json = json;
        this.meters = meters;
        this.trace = trace;
        this.name = endpoint.getHost();
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String book(OrderConfirmed order, String traceparent) {
        String orderId = order.orderId().toString();
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint)
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .header("Idempotency-Key", orderId)
                .POST(HttpRequest.BodyPublishers.ofByteArray(requestBody(order)));
        // the carrier call joins the order's trace: the current span if tracing runs, else the message's context
        String current = trace.currentTraceparent();
        String parent = current != null && !current.isBlank() ? current : traceparent;
        if (parent != null && !parent.isBlank()) {
            request.header("traceparent", parent);
        }
        long started = System.nanoTime();
        String outcome = "error";
        try {
            HttpResponse<byte[]> response = send(request.build(), orderId);
            int status = response.statusCode();
            if (status >= 200 && status < 300) {
                String tracking = trackingNumber(response.body(), orderId, status);
                outcome = "booked";
                return tracking;
            }
            String text = excerpt(response.body());
            if (status >= 400 && status < 500 && !TRANSIENT_4XX.contains(status)) {
                outcome = "rejected";
                log.warn("carrier rejected order {}: HTTP {} {}", orderId, status, text);
                throw new PermanentMessageFailure("carrier rejected order " + orderId + ": HTTP " + status + " " + text);
            }
            outcome = "unavailable";
            throw new CarrierUnavailableException("carrier answered HTTP " + status + " for order " + orderId + " " + text);
        } finally {
            Timer.builder("shop.carrier.requests").description("calls to the carrier API by outcome")
                    .tag("outcome", outcome).register(meters)
                    .record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        }
    }

    private HttpResponse<byte[]> send(HttpRequest request, String orderId) {
        // one deadline for the whole exchange: the request timeout alone stops at the response headers
        CompletableFuture<HttpResponse<byte[]>> call = http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray());
        try {
            return call.get(timeout.toMillis() + 250, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            call.cancel(true);
            throw new CarrierUnavailableException("carrier did not answer within " + timeout.toMillis() + " ms for order " + orderId);
        } catch (InterruptedException e) {
            call.cancel(true);
            Thread.currentThread().interrupt();
            throw new CarrierUnavailableException("interrupted while calling the carrier for order " + orderId);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof HttpTimeoutException) {
                throw new CarrierUnavailableException("carrier did not answer within " + timeout.toMillis() + " ms for order " + orderId);
            }
            if (cause instanceof ConnectException) {
                throw new CarrierUnavailableException("carrier unreachable at " + endpoint + " for order " + orderId + ": connection refused");
            }
            if (cause instanceof IOException) {
                throw new CarrierUnavailableException("carrier call failed for order " + orderId + ": "
                        + cause.getClass().getSimpleName() + " " + cause.getMessage());
            }
            throw new CarrierUnavailableException("carrier call failed for order " + orderId + ": " + cause);
        }
    }

    private byte[] requestBody(OrderConfirmed order) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("orderId", order.orderId().toString());
        body.put("address", order.shippingAddress());
        body.put("items", order.items().stream()
                .map(i -> Map.of("productId", i.productId(), "quantity", i.quantity()))
                .toList());
        try {
            return json.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            // cannot happen for these types; not a reason to retry forever either
            throw new PermanentMessageFailure("cannot write the carrier request for order " + order.orderId() + ": " + e.getMessage());
        }
    }

    private String trackingNumber(byte[] body, String orderId, int status) {
        JsonNode answer;
        try {
            answer = json.readTree(body);
        } catch (IOException e) {
            throw new CarrierUnavailableException("carrier answered HTTP " + status + " for order " + orderId
                    + " with a body that is not JSON: " + excerpt(body));
        }
        JsonNode tracking = answer == null ? null : answer.get("trackingNumber");
        if (tracking == null || !tracking.isTextual() || tracking.asText().isBlank() || tracking.asText().length() > 255) {
            throw new CarrierUnavailableException("carrier answered HTTP " + status + " for order " + orderId
                    + " without a usable trackingNumber: " + excerpt(body));
        }
        return tracking.asText();
    }

    private static String excerpt(byte[] body) {
        if (body == null || body.length == 0) {
            return "";
        }
        String text = new String(body, 0, Math.min(body.length, MAX_ERROR_TEXT * 4), StandardCharsets.UTF_8)
                .replaceAll("\\s+", " ").trim();
        return text.length() > MAX_ERROR_TEXT ? text.substring(0, MAX_ERROR_TEXT) + "..." : text;
    }
}
