package shop.order;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Hostile callers: forged, unsigned, expired and malformed tokens; SQL in every string field. */
class TokenAndInjectionTest extends OrderServiceTest {

    static final String BODY = OrderSagaTest.order("SKU-T", 1, "pm_card_visa");

    @Test
    void unsignedTokenIsRefused() throws Exception {
        String header = b64("{\"alg\":\"none\",\"typ\":\"JWT\"}");
        String claims = b64("{\"sub\":\"mallory\",\"exp\":" + Instant.now().plusSeconds(600).getEpochSecond() + "}");
        assertUnauthorized(header + "." + claims + ".");
    }

    @Test
    void tokenSignedWithAnotherAlgorithmIsRefused() throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS512), new JWTClaimsSet.Builder().subject("mallory")
                .expirationTime(Date.from(Instant.now().plusSeconds(600))).build());
        jwt.sign(new MACSigner((SECRET + SECRET).getBytes(StandardCharsets.UTF_8)));
        assertUnauthorized(jwt.serialize());
    }

    @Test
    void tokenWithoutExpiryOrSubjectIsRefused() throws Exception {
        assertUnauthorized(sign(new JWTClaimsSet.Builder().subject("mallory").build()));
        assertUnauthorized(sign(new JWTClaimsSet.Builder().expirationTime(Date.from(Instant.now().plusSeconds(600))).build()));
    }

    @Test
    void expiredBeyondTheSkewIsRefused() throws Exception {
        assertUnauthorized(token("mallory", Instant.now().minusSeconds(120)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"garbage", "a.b.c", "Bearer", "eyJhbGciOiJIUzI1NiJ9..", ""})
    void malformedTokensAreRefused(String token) throws Exception {
        assertUnauthorized(token);
    }

    @Test
    void sqlInTextFieldsIsStoredAsText() throws Exception {
        String sql = "Robert'); DROP TABLE orders; --";
        String body = BODY.replace("\"Ada Lovelace\"", "\"" + sql + "\"").replace("\"London\"", "\"x' OR '1'='1\"")
                .replace("\"1 Main St\"", "\"1; DELETE FROM order_items\"");
        HttpResponse<String> response = post("sql-user'--", body, "key'OR'1'='1--");
        assertThat(response.statusCode()).isIn(201, 409, 402, 422, 503);
        assertThat(jdbc.queryForObject("SELECT shipping_address->>'name' FROM orders WHERE user_id = ?", String.class, "sql-user'--"))
                .isEqualTo(sql);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM order_items", Long.class)).isPositive();
    }

    @ParameterizedTest
    @ValueSource(strings = {"SKU'; DROP TABLE orders;--", "SKU\" OR \"1\"=\"1", "SKU/../../etc"})
    void sqlInProductIdsIsRejected(String productId) throws Exception {
        HttpResponse<String> response = post("sql", OrderSagaTest.order(productId.replace("\"", "\\\""), 1, "pm_card_visa"), null);
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(response.body()).get("errors").get(0).get("field").asText()).isEqualTo("items[0].productId");
    }

    @Test
    void ordersOfOthersAndNonsenseIdsAreNotFound() throws Exception {
        for (String id : new String[] {"1 OR 1=1", "00000000-0000-0000-0000-000000000000", "%27"}) {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url("/orders/" + id.replace(" ", "%20"))))
                    .header("Authorization", "Bearer " + token("someone", Instant.now().plusSeconds(60))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(id).isIn(400, 404);
        }
    }

    private void assertUnauthorized(String token) throws Exception {
        long before = jdbc.queryForObject("SELECT count(*) FROM orders", Long.class);
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url("/orders")))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofString(BODY)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(401);
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.get("status").asText()).isEqualTo("UNAUTHORIZED");
        assertThat(r.body()).doesNotContain(token.isEmpty() ? "\u0000" : token);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM orders", Long.class)).isEqualTo(before);
    }

    private static String sign(JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        jwt.sign(new MACSigner(SECRET.getBytes(StandardCharsets.UTF_8)));
        return jwt.serialize();
    }

    private static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
