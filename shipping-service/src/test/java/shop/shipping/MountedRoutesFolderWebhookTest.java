package shop.shipping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import shop.platform.testing.BrokerPolicies;
import shop.shipping.support.MountedRoutesFolder;

/**
 * The same shipped route folder as {@link MountedRoutesFolderTest}, with the one thing an operator adds to turn
 * the example's webhook on: PARTNER_SHIPMENTS_URL (property partner.shipments-url) pointing at a partner - a
 * local HTTP stub. Every shipment.created is POSTed there once, shaped
 * as the example says, with the event's messageId as Idempotency-Key.
 */
@SpringBootTest(properties = {"shop.db.name=shipping_test_routes_folder_webhook", "shop.routes.poll-interval-ms=200"})
class MountedRoutesFolderWebhookTest {

    record Received(Map<String, List<String>> headers, String body) {
    }

    static final List<Received> RECEIVED = new CopyOnWriteArrayList<>();
    static final HttpServer PARTNER = partner();
    static final ObjectMapper JSON = new ObjectMapper();
    static String vhost;

    static HttpServer partner() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/partner/shipments", exchange -> {
                RECEIVED.add(new Received(Map.copyOf(exchange.getRequestHeaders()),
                        new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
                exchange.sendResponseHeaders(204, -1);
                exchange.close();
            });
            server.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @DynamicPropertySource
    static void broker(DynamicPropertyRegistry registry) {
        vhost = BrokerPolicies.freshVhost("routes-folder-webhook", true);
        registry.add("spring.rabbitmq.virtual-host", () -> vhost);
        registry.add("shop.routes.dir", MountedRoutesFolder.FOLDER::toString);
        // what PARTNER_SHIPMENTS_URL in the service's environment becomes (Spring's relaxed binding of environment variables)
        registry.add("partner.shipments-url", () -> "http://127.0.0.1:" + PARTNER.getAddress().getPort() + "/partner/shipments");
    }

    @AfterAll
    static void stop() {
        PARTNER.stop(0);
        BrokerPolicies.deleteVhost(vhost);
    }

    @Autowired CamelContext camel;
    @Autowired JdbcTemplate jdbc;

    @Test
    void withItsUrlConfiguredTheExamplePostsEachShipmentToThePartnerOnce() throws Exception {
        MountedRoutesFolder.awaitStarted(camel);

        UUID shipmentId = UUID.randomUUID();
        UUID orderId = UUID.randomUUID();
        String messageId = MountedRoutesFolder.publishShipmentCreated(vhost, shipmentId, orderId);

        MountedRoutesFolder.awaitHandled(jdbc, messageId);
        await().atMost(Duration.ofSeconds(10)).until(() -> !RECEIVED.isEmpty());
        assertThat(RECEIVED).hasSize(1);
        Received call = RECEIVED.get(0);
        JsonNode body = JSON.readTree(call.body());
        assertThat(body.path("event").asText()).isEqualTo("shipment.created");
        assertThat(body.path("eventId").asText()).isEqualTo(messageId);
        assertThat(body.path("shipmentId").asText()).isEqualTo(shipmentId.toString());
        assertThat(body.path("orderId").asText()).isEqualTo(orderId.toString());
        assertThat(body.path("trackingNumber").asText()).startsWith("TRK-");
        assertThat(call.headers().get("Idempotency-key")).containsExactly(messageId);
        assertThat(MountedRoutesFolder.depth(vhost, MountedRoutesFolder.QUEUE + ".dlq")).as("dead letters").isZero();
        assertThat(MountedRoutesFolder.route(camel, MountedRoutesFolder.WEBHOOK).getExchangesCompleted()).isEqualTo(1);
    }
}
