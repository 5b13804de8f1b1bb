package shop.shipping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import shop.platform.testing.BrokerPolicies;
import shop.platform.testing.LocalBroker;
import shop.platform.web.ProbesController;
import shop.shipping.support.IntegrationRouteFiles;

/**
 * Issue 14: an integration route written the ordinary way - plain autoDeclare of the shop.events topic
 * exchange, as a ROUTES_DIR file - is no longer refused: the services declare shop.events plain too (its
 * alternate exchange is a policy), so the declarations are equivalent. The service runs in a vhost of its own
 * with the policies of config/rabbitmq/definitions.json, and its own database.
 */
@SpringBootTest(properties = {"shop.db.name=shipping_test_plain_route", "shop.routes.poll-interval-ms=200"})
class PlainIntegrationRouteTest {

    static final Path OUT = IntegrationRouteFiles.outDir();
    static String vhost;

    @DynamicPropertySource
    static void broker(DynamicPropertyRegistry registry) {
        vhost = BrokerPolicies.freshVhost("plain-route", true);
        registry.add("spring.rabbitmq.virtual-host", () -> vhost);
        registry.add("shop.routes.dir", () -> IntegrationRouteFiles.routesDir(OUT).toString());
    }

    @AfterAll
    static void deleteVhost() {
        // the context (cached by Spring's test framework) keeps reconnecting to a deleted vhost: harmless, and
        // the JVM ends with the module's tests
        BrokerPolicies.deleteVhost(vhost);
    }

    @Autowired CamelContext camel;
    @Autowired ProbesController probes;
    @Autowired JdbcTemplate jdbc;

    @Test
    void theRouteLoadsDeclaresItsPlainQueueAndReceivesOrderConfirmed() throws Exception {
        IntegrationRouteFiles.awaitStarted(camel);

        UUID orderId = UUID.randomUUID();
        String messageId = IntegrationRouteFiles.publishOrderConfirmed(vhost, orderId);

        IntegrationRouteFiles.awaitWritten(OUT, messageId);
        // the service's own subscriber got the same event
        await().atMost(Duration.ofSeconds(30)).until(() ->
                jdbc.queryForObject("SELECT count(*) FROM shipments WHERE order_id = ?", Integer.class, orderId) == 1);
        try (Connection c = LocalBroker.factory(vhost).newConnection(); Channel ch = c.createChannel()) {
            assertThat(ch.queueDeclarePassive(IntegrationRouteFiles.QUEUE).getMessageCount()).isZero();
        }
        ResponseEntity<Map<String, String>> ready = probes.ready();
        assertThat(ready.getStatusCode().value()).as("/ready: the broker has the policies").isEqualTo(200);
    }
}
