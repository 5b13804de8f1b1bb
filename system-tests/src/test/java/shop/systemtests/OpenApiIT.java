package shop.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every service's OpenAPI document, fetched without credentials as a client generator would, names every
 * endpoint, status code and field that CONTRACT.md names - so the document cannot drift from the contract.
 * Each row below is a line of CONTRACT.md: method, path, the statuses it lists, the fields of each body.
 */
class OpenApiIT extends SystemTest {

    /** One endpoint of CONTRACT.md: statuses, and for some statuses the fields their body must document. */
    record Endpoint(String service, String method, String path, List<String> statuses, Map<String, List<String>> fields,
                    List<String> parameters, List<String> requestFields, String scheme) {
    }

    private static final List<String> ORDER_FIELDS = List.of("orderId", "userId", "status", "reason", "items.productId",
            "items.quantity", "items.unitPrice", "totalAmount", "currency", "paymentId", "reservationId", "createdAt", "updatedAt");

    static Stream<Endpoint> contract() {
        return Stream.of(
                new Endpoint("order-service", "post", "/orders", List.of("201", "400", "401", "402", "409", "413", "422", "503"),
                        Map.of("201", List.of("status", "orderId", "totalAmount", "currency"),
                                "409", List.of("status", "reason", "orderId"),
                                "402", List.of("status", "reason", "orderId"),
                                "503", List.of("status", "retry_after"),
                                "400", List.of("status", "reason", "errors.field", "errors.message"),
                                "413", List.of("status", "reason")),
                        List.of("Idempotency-Key"),
                        List.of("items.productId", "items.quantity", "paymentMethod", "shippingAddress.name",
                                "shippingAddress.line1", "shippingAddress.city", "shippingAddress.postalCode", "shippingAddress.country"),
                        "customerJwt"),
                new Endpoint("order-service", "get", "/orders/{orderId}", List.of("200", "401", "404"),
                        Map.of("200", ORDER_FIELDS), List.of("orderId"), List.of(), "customerJwt"),
                new Endpoint("order-service", "get", "/admin/orders", List.of("200", "401"),
                        Map.of("200", List.of("count", "orders.orderId", "orders.status", "orders.createdAt", "orders.updatedAt")),
                        List.of("status", "olderThanSeconds"), List.of(), "operatorBasic"),
                new Endpoint("inventory-service", "put", "/products/{productId}", List.of("200", "201", "400", "401"),
                        Map.of(), List.of("productId"), List.of("name", "priceCents", "currency", "available"), "operatorBasic"),
                new Endpoint("inventory-service", "get", "/products/{productId}", List.of("200", "401", "404"),
                        Map.of("200", List.of("productId", "name", "priceCents", "currency", "available", "reserved")),
                        List.of("productId"), List.of(), "operatorBasic"),
                new Endpoint("payment-service", "get", "/payments", List.of("200", "400", "401"),
                        Map.of("200", List.of("paymentId", "orderId", "amount", "currency", "status")),
                        List.of("orderId"), List.of(), "operatorBasic"),
                new Endpoint("shipping-service", "get", "/shipments", List.of("200", "400", "401"),
                        Map.of("200", List.of("shipmentId", "orderId", "status", "trackingNumber")),
                        List.of("orderId"), List.of(), "operatorBasic"),
                new Endpoint("shipping-service", "get", "/admin/dlq/shipments", List.of("200", "401"),
                        Map.of("200", List.of("count", "messages.orderId", "messages.reason", "messages.failedAt", "messages.attempts")),
                        List.of(), List.of(), "operatorBasic"),
                new Endpoint("shipping-service", "post", "/admin/dlq/shipments/replay", List.of("200", "401"),
                        Map.of("200", List.of("replayed")), List.of("limit"), List.of(), "operatorBasic"),
                // beyond CONTRACT.md: the operators' route check on every service (docs/integrations.md, Validate)
                new Endpoint("order-service", "post", "/admin/routes/check", List.of("200", "400", "401", "403", "413"),
                        Map.of("200", List.of("file", "ok", "routes", "problems.line", "problems.message")),
                        List.of("name"), List.of(), "operatorBasic"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("contract")
    void theDocumentNamesWhatTheContractNames(Endpoint endpoint) {
        JsonNode doc = document(endpoint.service());
        JsonNode operation = doc.path("paths").path(endpoint.path()).path(endpoint.method());
        assertThat(operation.isMissingNode()).as("%s %s in %s's document", endpoint.method(), endpoint.path(), endpoint.service()).isFalse();

        Set<String> statuses = new HashSet<>();
        operation.path("responses").fieldNames().forEachRemaining(statuses::add);
        assertThat(statuses).as("statuses of %s %s", endpoint.method(), endpoint.path()).containsAll(endpoint.statuses());

        endpoint.fields().forEach((status, fields) -> {
            JsonNode schema = operation.path("responses").path(status).path("content").path("application/json").path("schema");
            assertThat(fieldsOf(doc, schema, "")).as("fields of %s %s -> %s", endpoint.method(), endpoint.path(), status)
                    .containsAll(fields);
        });

        List<String> parameters = new ArrayList<>();
        operation.path("parameters").forEach(p -> parameters.add(p.path("name").asText()));
        assertThat(parameters).as("parameters of %s %s", endpoint.method(), endpoint.path()).containsAll(endpoint.parameters());

        if (!endpoint.requestFields().isEmpty()) {
            JsonNode body = operation.path("requestBody").path("content").path("application/json").path("schema");
            assertThat(fieldsOf(doc, body, "")).as("request of %s %s", endpoint.method(), endpoint.path())
                    .containsAll(endpoint.requestFields());
        }

        List<String> schemes = new ArrayList<>();
        operation.path("security").forEach(s -> s.fieldNames().forEachRemaining(schemes::add));
        assertThat(schemes).as("security of %s %s", endpoint.method(), endpoint.path()).containsExactly(endpoint.scheme());
    }

    @Test
    void everyServiceDocumentsBothSchemesAndOpenProbes() {
        for (ServiceProcess service : List.of(system.orders, system.inventory, system.payments, system.shipping)) {
            JsonNode doc = document(service.name());
            assertThat(doc.at("/components/securitySchemes/customerJwt/scheme").asText()).isEqualTo("bearer");
            assertThat(doc.at("/components/securitySchemes/operatorBasic/scheme").asText()).isEqualTo("basic");
            assertThat(doc.at("/paths/~1ready/get/responses").has("503")).as("%s /ready 503", service.name()).isTrue();
            assertThat(doc.at("/paths/~1health/get/security").isEmpty()).isTrue();
            for (String schema : List.of("ValidationFailed", "Rejected", "ServiceUnavailable", "Unauthorized", "Forbidden", "NotFound")) {
                assertThat(doc.at("/components/schemas/" + schema).isMissingNode()).as("%s in %s", schema, service.name()).isFalse();
            }
        }
    }

    @Test
    void swaggerUiIsForOperatorsOnly() {
        assertThat(Http.get(system.orders.url() + "/swagger-ui/index.html", null).statusCode()).isEqualTo(401);
        assertThat(Http.get(system.orders.url() + "/swagger-ui/index.html", SystemUnderTest.OPERATOR).statusCode()).isEqualTo(200);
    }

    private static JsonNode document(String service) {
        ServiceProcess process = switch (service) {
            case "order-service" -> system.orders;
            case "inventory-service" -> system.inventory;
            case "payment-service" -> system.payments;
            default -> system.shipping;
        };
        var response = Http.get(process.url() + "/v3/api-docs", null);
        assertThat(response.statusCode()).as("%s /v3/api-docs without credentials", service).isEqualTo(200);
        return Http.json(response);
    }

    /** Every property path a schema documents ({@code items.productId} for an array of objects), following {@code $ref}, arrays and {@code oneOf}. */
    private static Set<String> fieldsOf(JsonNode doc, JsonNode schema, String prefix) {
        Set<String> fields = new HashSet<>();
        if (schema.has("$ref")) {
            return fieldsOf(doc, doc.at(schema.get("$ref").asText().substring(1)), prefix);
        }
        if (schema.has("items")) {
            return fieldsOf(doc, schema.get("items"), prefix);
        }
        for (String combinator : List.of("oneOf", "anyOf", "allOf")) {
            schema.path(combinator).forEach(s -> fields.addAll(fieldsOf(doc, s, prefix)));
        }
        Iterator<Map.Entry<String, JsonNode>> properties = schema.path("properties").fields();
        while (properties.hasNext()) {
            Map.Entry<String, JsonNode> property = properties.next();
            String name = prefix + property.getKey();
            fields.add(name);
            fields.addAll(fieldsOf(doc, property.getValue(), name + "."));
        }
        return fields;
    }
}
