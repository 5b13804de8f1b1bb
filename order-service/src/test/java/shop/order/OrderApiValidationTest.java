package shop.order;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** Bad requests to {@code POST /orders}: each gets the contract's JSON error naming the field, and nothing is stored. */
class OrderApiValidationTest extends OrderServiceTest {

    static final String ADDRESS = "{\"name\":\"Ada\",\"line1\":\"1 Main St\",\"city\":\"London\",\"postalCode\":\"N1 9GU\",\"country\":\"GB\"}";

    static String body(String items, String paymentMethod, String address) {
        return "{\"items\":" + items + ",\"paymentMethod\":" + paymentMethod + ",\"shippingAddress\":" + address + "}";
    }

    static String withItems(String items) {
        return body(items, "\"pm_card_visa\"", ADDRESS);
    }

    static String withAddress(String field, String value) {
        return body("[{\"productId\":\"SKU-1\",\"quantity\":1}]", "\"pm_card_visa\"",
                ADDRESS.replaceFirst("\"" + field + "\":\"[^\"]*\"", java.util.regex.Matcher.quoteReplacement("\"" + field + "\":" + value)));
    }

    static Stream<Arguments> badRequests() {
        String fiftyOne = Stream.iterate(0, i -> i + 1).limit(51).map(i -> "{\"productId\":\"P" + i + "\",\"quantity\":1}")
                .reduce((a, b) -> a + "," + b).map(s -> "[" + s + "]").orElseThrow();
        return Stream.of(
                arguments("empty body", "", "body"),
                arguments("not JSON", "{items:", "body"),
                arguments("an array", "[]", "body"),
                arguments("items missing", "{\"paymentMethod\":\"pm_card_visa\",\"shippingAddress\":" + ADDRESS + "}", "items"),
                arguments("items empty", withItems("[]"), "items"),
                arguments("items an object", withItems("{\"productId\":\"SKU-1\"}"), "items"),
                arguments("51 lines", withItems(fiftyOne), "items"),
                arguments("null line", withItems("[null]"), "items[0]"),
                arguments("productId missing", withItems("[{\"quantity\":1}]"), "items[0].productId"),
                arguments("productId empty", withItems("[{\"productId\":\"\",\"quantity\":1}]"), "items[0].productId"),
                arguments("productId too long", withItems("[{\"productId\":\"" + "X".repeat(65) + "\",\"quantity\":1}]"), "items[0].productId"),
                arguments("productId with a space", withItems("[{\"productId\":\"SKU 1\",\"quantity\":1}]"), "items[0].productId"),
                arguments("productId a number", withItems("[{\"productId\":7,\"quantity\":1}]"), "items[0].productId"),
                arguments("quantity zero", withItems("[{\"productId\":\"SKU-1\",\"quantity\":0}]"), "items[0].quantity"),
                arguments("quantity negative", withItems("[{\"productId\":\"SKU-1\",\"quantity\":-3}]"), "items[0].quantity"),
                arguments("quantity over 1000", withItems("[{\"productId\":\"SKU-1\",\"quantity\":1001}]"), "items[0].quantity"),
                arguments("quantity fractional", withItems("[{\"productId\":\"SKU-1\",\"quantity\":1.5}]"), "items[0].quantity"),
                arguments("quantity huge", withItems("[{\"productId\":\"SKU-1\",\"quantity\":100000000000000000000}]"), "items[0].quantity"),
                arguments("quantity a string", withItems("[{\"productId\":\"SKU-1\",\"quantity\":\"2\"}]"), "items[0].quantity"),
                arguments("quantity null", withItems("[{\"productId\":\"SKU-1\",\"quantity\":null}]"), "items[0].quantity"),
                arguments("duplicate product", withItems("[{\"productId\":\"SKU-1\",\"quantity\":1},{\"productId\":\"SKU-1\",\"quantity\":2}]"), "items[1].productId"),
                arguments("unknown field in a line", withItems("[{\"productId\":\"SKU-1\",\"quantity\":1,\"unitPrice\":1}]"), "items[0].unitPrice"),
                arguments("paymentMethod missing", "{\"items\":[{\"productId\":\"SKU-1\",\"quantity\":1}],\"shippingAddress\":" + ADDRESS + "}", "paymentMethod"),
                arguments("paymentMethod empty", body("[{\"productId\":\"SKU-1\",\"quantity\":1}]", "\"\"", ADDRESS), "paymentMethod"),
                arguments("paymentMethod not a method id", body("[{\"productId\":\"SKU-1\",\"quantity\":1}]", "\"visa\"", ADDRESS), "paymentMethod"),
                arguments("paymentMethod too long", body("[{\"productId\":\"SKU-1\",\"quantity\":1}]", "\"pm_" + "a".repeat(100) + "\"", ADDRESS), "paymentMethod"),
                arguments("shippingAddress missing", "{\"items\":[{\"productId\":\"SKU-1\",\"quantity\":1}],\"paymentMethod\":\"pm_card_visa\"}", "shippingAddress"),
                arguments("name empty", withAddress("name", "\"\""), "shippingAddress.name"),
                arguments("name with a control character", withAddress("name", "\"Ada\\u0007\""), "shippingAddress.name"),
                arguments("line1 too long", withAddress("line1", "\"" + "x".repeat(201) + "\""), "shippingAddress.line1"),
                arguments("city null", withAddress("city", "null"), "shippingAddress.city"),
                arguments("postalCode with symbols", withAddress("postalCode", "\"N1;DROP\""), "shippingAddress.postalCode"),
                arguments("country lower case", withAddress("country", "\"gb\""), "shippingAddress.country"),
                arguments("country unknown", withAddress("country", "\"XX\""), "shippingAddress.country"),
                arguments("country alpha-3", withAddress("country", "\"GBR\""), "shippingAddress.country"),
                arguments("userId in the body", "{\"userId\":\"someone-else\"," + withItems("[{\"productId\":\"SKU-1\",\"quantity\":1}]").substring(1), "userId"),
                arguments("amount in the body", "{\"totalAmount\":1," + withItems("[{\"productId\":\"SKU-1\",\"quantity\":1}]").substring(1), "totalAmount"),
                arguments("deep nesting", withItems("[{\"productId\":\"SKU-1\",\"quantity\":1,\"x\":" + "[".repeat(500) + "]".repeat(500) + "}]"), "items[0].x"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void rejectsNamingTheField(String description, String json, String field) throws Exception {
        long before = orders();

        HttpResponse<String> response = send(json, "application/json", null);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("status").asText()).isEqualTo("REJECTED");
        assertThat(body.get("reason").asText()).isEqualTo("VALIDATION_FAILED");
        assertThat(body.get("errors")).anySatisfy(e -> assertThat(e.get("field").asText()).isEqualTo(field));
        assertThat(body.get("errors")).allSatisfy(e -> assertThat(e.get("message").asText()).isNotBlank());
        assertThat(orders()).isEqualTo(before);
    }

    @org.junit.jupiter.api.Test
    void overLongIdempotencyKeyIsRejected() throws Exception {
        long before = orders();
        HttpResponse<String> response = send(OrderSagaTest.order("SKU-1", 1, "pm_card_visa"), "application/json", "k".repeat(256));
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(response.body()).get("errors").get(0).get("field").asText()).isEqualTo("Idempotency-Key");
        assertThat(orders()).isEqualTo(before);
    }

    @Autowired
    MeterRegistry meters;

    @Test
    void refusedRequestsAreCountedAsRejected() throws Exception {
        double before = meters.counter("shop.orders", "outcome", "rejected").count();
        send("{", "application/json", null);
        send(OrderSagaTest.order("SKU-1", 1, "pm_card_visa"), "text/plain", null);
        send(withItems("[{\"productId\":\"SKU-1\",\"quantity\":1}]").replace("\"Ada\"", "\"" + "a".repeat(70_000) + "\""),
                "application/json", null);
        assertThat(meters.counter("shop.orders", "outcome", "rejected").count()).isEqualTo(before + 3);
    }

    @org.junit.jupiter.api.Test
    void wrongContentTypeIs415() throws Exception {
        HttpResponse<String> response = send(OrderSagaTest.order("SKU-1", 1, "pm_card_visa"), "text/plain", null);
        assertThat(response.statusCode()).isEqualTo(415);
        assertThat(JSON.readTree(response.body()).get("reason").asText()).isEqualTo("UNSUPPORTED_MEDIA_TYPE");
    }

    @org.junit.jupiter.api.Test
    void bodyOver64KiBIs413() throws Exception {
        long before = orders();
        String huge = withItems("[{\"productId\":\"SKU-1\",\"quantity\":1}]").replace("\"Ada\"", "\"" + "a".repeat(70_000) + "\"");
        HttpResponse<String> response = send(huge, "application/json", null);
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(JSON.readTree(response.body()).get("reason").asText()).isEqualTo("PAYLOAD_TOO_LARGE");
        assertThat(orders()).isEqualTo(before);
    }

    @org.junit.jupiter.api.Test
    void responsesNeverEchoCredentials() throws Exception {
        String token = token("echo", Instant.now().plusSeconds(60));
        HttpResponse<String> response = send("{", "application/json", null);
        assertThat(response.headers().map().toString()).doesNotContain(token);
        assertThat(response.headers().firstValue("Authorization")).isEmpty();
        assertThat(response.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    }

    private long orders() {
        return jdbc.queryForObject("SELECT count(*) FROM orders", Long.class);
    }

    private HttpResponse<String> send(String json, String contentType, String key) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url("/orders")))
                .header("Content-Type", contentType)
                .header("Authorization", "Bearer " + token("validator", Instant.now().plusSeconds(600)))
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (key != null) {
            request.header("Idempotency-Key", key);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
