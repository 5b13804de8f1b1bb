package shop.payment.provider;

import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;

/**
 * Stripe PaymentIntents over HTTPS ({@code PAYMENT_PROVIDER=stripe}, {@code STRIPE_API_KEY}, {@code STRIPE_API_BASE}).
 *
 * <ul>
 * <li>charge: {@code POST /v1/payment_intents} (form: amount, currency lower-case, payment_method, confirm=true,
 *     payment_method_types[]=card, metadata[...]) with header {@code Idempotency-Key}. 2xx {@code succeeded} ->
 *     SUCCEEDED; 402 card error -> DECLINED with Stripe's decline_code (or code); 400 on {@code payment_method} ->
 *     DECLINED {@code invalid_payment_method}; a payment intent that needs customer action (3-D Secure) is
 *     cancelled and DECLINED {@code authentication_required}.</li>
 * <li>lookup: reads only - {@code GET /v1/payment_intents/search?query=metadata['orderId']:'<orderId>'}, the intents
 *     carrying the charge's idempotency key in their metadata. It never posts a payment intent: replaying the charge
 *     (as this adapter once did) creates and confirms it when the first request never reached Stripe, so a lookup
 *     made for a refund would take the money it was meant to give back. Stripe's search lags behind its writes
 *     (under a minute normally, longer in an outage), so "no such intent" only counts once the last charge attempt
 *     is older than {@code searchLag}; before that the outcome is unknown.</li>
 * <li>refund: {@code POST /v1/refunds} payment_intent=..., {@code Idempotency-Key: refund-<orderId>};
 *     {@code charge_already_refunded} counts as refunded.</li>
 * <li>outcome unknown ({@link ProviderUnavailableException}): timeout, I/O error, 5xx, 409, 429.
 *     {@link ProviderRejectedException}: any other 4xx (bad key, bad parameters).</li>
 * </ul>
 */
public class StripePaymentProvider implements PaymentProvider {

    private static final Logger log = LoggerFactory.getLogger(StripePaymentProvider.class);

    /** How long Stripe's search may take to show a new payment intent, unless configured otherwise. */
    public static final Duration DEFAULT_SEARCH_LAG = Duration.ofSeconds(60);

    private final RestClient http;
    private final ObjectMapper json;
    private final Duration searchLag;

    /**
     * @param http      a client whose base URL is {@code STRIPE_API_BASE}, with the API key and timeouts configured
     *                  ({@link #client})
     * @param searchLag how long after a charge attempt the search may still not show its intent
     */
    public StripePaymentProvider(RestClient http, ObjectMapper json, Duration searchLag) {
        this.http = http;
        this.json = json;
        this.searchLag = searchLag;
    }

    public StripePaymentProvider(RestClient http, ObjectMapper json) {
        this(http, json, DEFAULT_SEARCH_LAG);
    }

    /** A RestClient for Stripe: base URL, bearer key, optional API version, HTTP/1.1 with connect and response timeouts. */
    public static RestClient client(RestClient.Builder builder, String apiBase, String apiKey, String apiVersion, Duration timeout) {
        if (apiKey == null || apiKey.isBlank()) {
            throw new IllegalStateException("PAYMENT_PROVIDER=stripe needs STRIPE_API_KEY");
        }
        HttpClient jdk = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        JdkClientHttpRequestFactory factory = new JdkClientHttpRequestFactory(jdk);
        factory.setReadTimeout(timeout);
        return builder.baseUrl(apiBase)
                .requestFactory(factory)
                .defaultHeaders(h -> {
                    h.setBearerAuth(apiKey);
                    if (apiVersion != null && !apiVersion.isBlank()) {
                        h.set("Stripe-Version", apiVersion);
                    }
                })
                .build();
    }

    @Override
    public String name() {
        return "stripe";
    }

    @Override
    public ProviderResult charge(ChargeRequest request) {
        Reply reply = post("/v1/payment_intents", chargeForm(request), request.idempotencyKey());
        return chargeOutcome(reply, request.idempotencyKey())
                .orElseThrow(() -> new ProviderRejectedException(describe("charge " + request.idempotencyKey(), reply)));
    }

    @Override
    public Optional<ProviderResult> lookup(ChargeRequest original, Instant lastAttemptAt) {
        Optional<ProviderResult> found = search(original);
        if (found.isEmpty() && (lastAttemptAt == null || lastAttemptAt.isAfter(Instant.now().minus(searchLag)))) {
            throw new ProviderUnavailableException("Stripe's search shows no payment intent under " + original.idempotencyKey()
                    + " yet, but the last attempt was less than " + searchLag.toSeconds() + " s ago");
        }
        return found;
    }

    @Override
    public RefundResult refund(String providerRef, String idempotencyKey) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("payment_intent", providerRef);
        Reply reply = post("/v1/refunds", form, idempotencyKey);
        if (reply.status().is2xxSuccessful()) {
            return new RefundResult(reply.body().path("id").asText(null));
        }
        failIfUnknown(reply, "refund " + providerRef);
        if ("charge_already_refunded".equals(reply.body().path("error").path("code").asText())) {
            return new RefundResult(null);
        }
        throw new ProviderRejectedException(describe("refund " + providerRef, reply));
    }

    /** The outcome a charge (or its replay) answered; empty when Stripe rejected the request itself. */
    private Optional<ProviderResult> chargeOutcome(Reply reply, String key) {
        if (reply.status().is2xxSuccessful()) {
            return Optional.of(intentOutcome(reply.body(), key));
        }
        failIfUnknown(reply, "charge " + key);
        JsonNode error = reply.body().path("error");
        if (reply.status().value() == 402 || "card_error".equals(error.path("type").asText())) {
            String declineCode = text(error, "decline_code");
            return Optional.of(ProviderResult.declined(text(error.path("payment_intent"), "id"),
                    declineCode != null ? declineCode : text(error, "code")));
        }
        if (reply.status().value() == 400 && "payment_method".equals(error.path("param").asText())) {
            return Optional.of(ProviderResult.declined(text(error.path("payment_intent"), "id"), "invalid_payment_method"));
        }
        log.error("Stripe rejected {}: {}", key, describe("charge", reply));
        return Optional.empty();
    }

    private ProviderResult intentOutcome(JsonNode intent, String key) {
        String id = text(intent, "id");
        String status = intent.path("status").asText();
        switch (status) {
            case "succeeded":
                return ProviderResult.succeeded(id);
            case "requires_payment_method":
            case "canceled": {
                JsonNode error = intent.path("last_payment_error");
                String code = text(error, "decline_code");
                return ProviderResult.declined(id, code != null ? code : text(error, "code"));
            }
            case "requires_action":
                cancel(id);
                return ProviderResult.declined(id, "authentication_required");
            default:
                // processing, requires_capture, requires_confirmation: not final yet
                throw new ProviderUnavailableException("Stripe payment intent " + id + " for " + key + " is " + status);
        }
    }

    /** The intents of the charge's order that carry its key; a succeeded one wins. Reads only. */
    private Optional<ProviderResult> search(ChargeRequest original) {
        String orderId = original.metadata().get("orderId");
        String query = orderId != null
                ? "metadata['orderId']:'" + orderId.replace("'", "") + "'"
                : "metadata['idempotencyKey']:'" + original.idempotencyKey().replace("'", "") + "'";
        Reply reply = exchange(() -> http.get()
                .uri(b -> b.path("/v1/payment_intents/search").queryParam("query", "{q}").build(query)), "search " + original.idempotencyKey());
        if (!reply.status().is2xxSuccessful()) {
            failIfUnknown(reply, "search");
            throw new ProviderRejectedException(describe("search " + original.idempotencyKey(), reply));
        }
        ProviderResult found = null;
        for (JsonNode intent : reply.body().path("data")) {
            if (!original.idempotencyKey().equals(intent.path("metadata").path("idempotencyKey").asText())) {
                continue; // another charge of the same order (another key): not this one
            }
            ProviderResult r = intentOutcome(intent, original.idempotencyKey());
            if (r.succeeded()) {
                return Optional.of(r);
            }
            found = r;
        }
        return Optional.ofNullable(found);
    }

    private void cancel(String intentId) {
        try {
            Reply reply = post("/v1/payment_intents/" + intentId + "/cancel", Map.of(), "cancel-" + intentId);
            if (!reply.status().is2xxSuccessful()) {
                log.warn("could not cancel Stripe payment intent {}: {}", intentId, describe("cancel", reply));
            }
        } catch (ProviderUnavailableException e) {
            log.warn("could not cancel Stripe payment intent {}: {}", intentId, e.getMessage());
        }
    }

    private Map<String, String> chargeForm(ChargeRequest request) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("amount", Long.toString(request.amount()));
        form.put("currency", request.currency().toLowerCase(Locale.ROOT));
        form.put("payment_method", request.paymentMethod());
        form.put("confirm", "true");
        form.put("payment_method_types[]", "card");
        request.metadata().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> form.put("metadata[" + e.getKey() + "]", e.getValue()));
        form.put("metadata[idempotencyKey]", request.idempotencyKey());
        return form;
    }

    private Reply post(String path, Map<String, String> form, String idempotencyKey) {
        return exchange(() -> http.post().uri(path)
                .header("Idempotency-Key", idempotencyKey)
                .contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .body(encode(form)), path + " " + idempotencyKey);
    }

    private Reply exchange(Supplier<RestClient.RequestHeadersSpec<?>> request, String what) {
        try {
            return request.get().exchange((req, res) -> {
                byte[] bytes = res.getBody().readAllBytes();
                JsonNode body = bytes.length == 0 ? json.createObjectNode() : parse(bytes, res.getStatusCode());
                return new Reply(res.getStatusCode(), body);
            });
        } catch (RestClientException e) {
            throw new ProviderUnavailableException("Stripe " + what + " failed: " + e.getMessage(), e);
        }
    }

    private JsonNode parse(byte[] bytes, HttpStatusCode status) throws IOException {
        try {
            return json.readTree(bytes);
        } catch (IOException e) {
            if (status.is2xxSuccessful()) {
                throw e; // a success we cannot read: outcome unknown
            }
            return json.createObjectNode();
        }
    }

    /** Outcome unknown: the request may have been processed, or not yet. */
    private static void failIfUnknown(Reply reply, String what) {
        int code = reply.status().value();
        if (code >= 500 || code == 409 || code == 429) {
            throw new ProviderUnavailableException(describe("Stripe " + what, reply));
        }
    }

    private static String describe(String what, Reply reply) {
        JsonNode error = reply.body().path("error");
        if (error.isMissingNode()) {
            return what + " answered HTTP " + reply.status().value();
        }
        String code = error.path("code").asText("");
        return what + " answered HTTP " + reply.status().value() + " " + error.path("type").asText("")
                + (code.isEmpty() ? "" : "/" + code) + ": " + error.path("message").asText("");
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.path(field);
        return v.isTextual() && !v.asText().isEmpty() ? v.asText() : null;
    }

    static String encode(Map<String, String> form) {
        StringJoiner out = new StringJoiner("&");
        form.forEach((k, v) -> out.add(URLEncoder.encode(k, StandardCharsets.UTF_8) + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return out.toString();
    }

    private record Reply(HttpStatusCode status, JsonNode body) {
    }
}
