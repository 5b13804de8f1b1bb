package shop.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/** PUT/GET /products/{productId} for operators, with the contract's error bodies. */
class ProductApiTest extends InventoryTestSupport {

    @Autowired
    TestRestTemplate http;

    private TestRestTemplate operator() {
        return http.withBasicAuth("operator", "operator-dev-password");
    }

    private ResponseEntity<String> put(TestRestTemplate client, String productId, String body) {
        HttpHeaders headers = new HttpHeaders();
        headers.setContentType(MediaType.APPLICATION_JSON);
        return client.exchange("/products/{id}", HttpMethod.PUT, new HttpEntity<>(body, headers), String.class, productId);
    }

    private Map<String, Object> body(ResponseEntity<String> response) throws Exception {
        return json.readValue(response.getBody(), JSON_OBJECT);
    }

    @Test
    void putCreatesThenUpdates() throws Exception {
        ResponseEntity<String> created = put(operator(), "SKU-001",
                "{\"name\":\"Lamp\",\"priceCents\":1999,\"currency\":\"USD\",\"available\":10}");

        assertThat(created.getStatusCode()).isEqualTo(HttpStatus.CREATED);
        assertThat(created.getHeaders().getLocation()).hasToString("/products/SKU-001");
        assertThat(body(created)).isEqualTo(Map.of("productId", "SKU-001", "name", "Lamp", "priceCents", 1999,
                "currency", "USD", "available", 10, "reserved", 0));

        ResponseEntity<String> updated = put(operator(), "SKU-001",
                "{\"name\":\"Desk lamp\",\"priceCents\":2499,\"currency\":\"USD\",\"available\":4}");

        assertThat(updated.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(body(updated)).isEqualTo(Map.of("productId", "SKU-001", "name", "Desk lamp", "priceCents", 2499,
                "currency", "USD", "available", 4, "reserved", 0));
        assertThat(stock("SKU-001")).containsExactly(4, 0);
    }

    @Test
    void settingAvailableKeepsWhatIsReservedAndNewReservesUseTheNewPrice() throws Exception {
        put(operator(), "SKU-001", "{\"name\":\"Lamp\",\"priceCents\":1999,\"currency\":\"USD\",\"available\":10}");
        reserve(UUID.randomUUID(), "SKU-001", 3);

        ResponseEntity<String> updated = put(operator(), "SKU-001",
                "{\"name\":\"Lamp\",\"priceCents\":2999,\"currency\":\"USD\",\"available\":20}");

        assertThat(body(updated)).containsEntry("available", 20).containsEntry("reserved", 3);
        assertThat(reserve(UUID.randomUUID(), "SKU-001", 1)).containsEntry("totalAmount", 2999);
    }

    @Test
    void getShowsTheProductWithItsReservedStock() throws Exception {
        product("SKU-9.x_Y", 500, "EUR", 5);
        reserve(UUID.randomUUID(), "SKU-9.x_Y", 2);

        ResponseEntity<String> response = operator().getForEntity("/products/{id}", String.class, "SKU-9.x_Y");

        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(response.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_JSON);
        assertThat(body(response)).isEqualTo(Map.of("productId", "SKU-9.x_Y", "name", "Product SKU-9.x_Y",
                "priceCents", 500, "currency", "EUR", "available", 3, "reserved", 2));
    }

    @Test
    void unknownProductIs404() throws Exception {
        ResponseEntity<String> response = operator().getForEntity("/products/{id}", String.class, "NOPE");

        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
        assertThat(body(response)).isEqualTo(Map.of("status", "NOT_FOUND"));
    }

    @Test
    void invalidBodyIs400NamingEveryField() throws Exception {
        ResponseEntity<String> response = put(operator(), "SKU-001",
                "{\"name\":\"\",\"priceCents\":-1,\"currency\":\"usd\",\"available\":1000001}");

        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
        Map<String, Object> body = body(response);
        assertThat(body).containsEntry("status", "REJECTED").containsEntry("reason", "VALIDATION_FAILED");
        assertThat(fields(body)).containsExactlyInAnyOrder("available", "currency", "name", "priceCents");
        assertThat(errors(body)).allSatisfy(e -> assertThat(e).containsOnlyKeys("field", "message"));
        assertThat(count("products")).isZero();
    }

    @Test
    void missingFieldsAre400() throws Exception {
        ResponseEntity<String> response = put(operator(), "SKU-001", "{}");

        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(fields(body(response))).containsExactlyInAnyOrder("available", "currency", "name", "priceCents");
    }

    @Test
    void fractionalPriceUnknownFieldAndBadJsonAre400() throws Exception {
        for (String bad : List.of(
                "{\"name\":\"Lamp\",\"priceCents\":19.99,\"currency\":\"USD\",\"available\":10}",
                "{\"name\":\"Lamp\",\"priceCents\":1999,\"currency\":\"USD\",\"available\":10,\"reserved\":5}",
                "{\"name\":\"Lamp\",",
                "")) {
            ResponseEntity<String> response = put(operator(), "SKU-001", bad);
            assertThat(response.getStatusCode()).as(bad).isEqualTo(HttpStatus.BAD_REQUEST);
            assertThat(body(response)).as(bad).containsEntry("status", "REJECTED").containsEntry("reason", "VALIDATION_FAILED");
        }
        assertThat(count("products")).isZero();
    }

    @Test
    void nonJsonBodyIs415() throws Exception {
        HttpHeaders headers = new HttpHeaders();
        headers.setContentType(MediaType.TEXT_PLAIN);
        ResponseEntity<String> response = operator().exchange("/products/SKU-001", HttpMethod.PUT,
                new HttpEntity<>("name=Lamp", headers), String.class);

        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.UNSUPPORTED_MEDIA_TYPE);
        assertThat(body(response)).containsEntry("status", "REJECTED");
        assertThat(count("products")).isZero();
    }

    @Test
    void invalidProductIdIs400() throws Exception {
        for (String id : List.of("has space", "a".repeat(65), "sku:1", "a+b", "(x)")) {
            ResponseEntity<String> response = put(operator(), id,
                    "{\"name\":\"Lamp\",\"priceCents\":1999,\"currency\":\"USD\",\"available\":10}");
            assertThat(response.getStatusCode()).as(id).isEqualTo(HttpStatus.BAD_REQUEST);
            assertThat(response.getBody()).as(id).contains("productId");
            assertThat(fields(body(response))).as(id).containsExactly("productId");
        }
        assertThat(count("products")).isZero();
    }

    @Test
    void withoutOperatorCredentialsIs401() throws Exception {
        ResponseEntity<String> get = http.getForEntity("/products/{id}", String.class, "SKU-001");
        ResponseEntity<String> put = put(http, "SKU-001",
                "{\"name\":\"Lamp\",\"priceCents\":1999,\"currency\":\"USD\",\"available\":10}");
        ResponseEntity<String> wrong = http.withBasicAuth("operator", "wrong").getForEntity("/products/{id}", String.class, "SKU-001");
        ResponseEntity<String> viewer = http.withBasicAuth("viewer", "viewer-dev-password")
                .getForEntity("/products/{id}", String.class, "SKU-001");

        assertThat(get.getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
        assertThat(put.getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
        assertThat(wrong.getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
        assertThat(body(get)).containsEntry("status", "UNAUTHORIZED");
        assertThat(viewer.getStatusCode()).as("a viewer is not an operator").isEqualTo(HttpStatus.FORBIDDEN);
        assertThat(count("products")).isZero();
    }

    @Test
    void probesAreOpen() {
        assertThat(http.getForEntity("/health", String.class).getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(http.getForEntity("/ready", String.class).getStatusCode()).isEqualTo(HttpStatus.OK);
    }

    @Test
    void metricsAreExposedToOperators() {
        ResponseEntity<String> prometheus = operator().getForEntity("/actuator/prometheus", String.class);

        assertThat(prometheus.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(prometheus.getBody()).contains("shop_inventory_reservations_held", "shop_inventory_reservations_expired_total",
                "shop_inventory_reserve_outcomes_total{", "shop_inventory_products_sold_out");
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> errors(Map<String, Object> body) {
        return (List<Map<String, Object>>) body.get("errors");
    }

    private static List<Object> fields(Map<String, Object> body) {
        return errors(body).stream().map(e -> e.get("field")).toList();
    }
}
