package shop.order;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.AnonymousQueue;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.TopicExchange;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import shop.platform.messaging.QueueDeclarations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** One Spring context for the order service's tests: real RabbitMQ and PostgreSQL, database {@code orders_test}. */
@CamelSpringBootTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "shop.db.name=orders_test",
        "shop.saga.reply-timeout-ms=800",
        // the shortest stale window the lease rule (SagaLeaseCheck) allows with these timeouts:
        // 800 reply + 500 pool wait + 500 validation + 2000 transaction + 2000 socket + 1000 margin <= 7000 ms
        "shop.saga.stale-after-seconds=7",
        "spring.datasource.hikari.connection-timeout=500",
        "spring.datasource.hikari.validation-timeout=500",
        "spring.transaction.default-timeout=2s",
        "shop.db.socket-timeout-seconds=2",
        "shop.db.statement-timeout-ms=1500",
        "shop.saga.recovery-interval-ms=500",
        "shop.orders.duplicate-wait-seconds=10",
        "shop.breaker.minimum-number-of-calls=4",
        "shop.breaker.sliding-window-size=4",
        "shop.outbox.poll-interval-ms=100",
        "AUTH_JWT_SECRET=order-service-test-secret-0123456789abcdef"})
abstract class OrderServiceTest {

    static final String SECRET = "order-service-test-secret-0123456789abcdef";
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final ObjectMapper JSON = new ObjectMapper();

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;

    static String order(String product, int quantity, String paymentMethod) {
        return """
                {"items":[{"productId":"%s","quantity":%d}],"paymentMethod":"%s",
                 "shippingAddress":{"name":"Ada Lovelace","line1":"1 Main St","city":"London","postalCode":"N1 9GU","country":"GB"}}"""
                .formatted(product, quantity, paymentMethod);
    }

    HttpResponse<String> post(String user, String body, String key) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url("/orders")))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + token(user, Instant.now().plusSeconds(600)))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            request.header("Idempotency-Key", key);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    static String token(String user, Instant expires) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256),
                new JWTClaimsSet.Builder().subject(user).expirationTime(Date.from(expires)).build());
        jwt.sign(new MACSigner(SECRET.getBytes(StandardCharsets.UTF_8)));
        return jwt.serialize();
    }

    private static boolean dropped;

    @BeforeAll
    static void cleanDatabase() {
        // a fresh schema per test run (once: the Spring context is shared): the service migrates it on start
        if (dropped) {
            return;
        }
        dropped = true;
        try (var c = java.sql.DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres", "postgres", "");
             var st = c.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS orders_test WITH (FORCE)");
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
