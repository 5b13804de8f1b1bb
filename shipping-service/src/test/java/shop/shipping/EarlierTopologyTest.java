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
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import shop.platform.testing.BrokerPolicies;
import shop.platform.testing.LocalBroker;
import shop.platform.web.ProbesController;
import shop.shipping.support.IntegrationRouteFiles;

/**
 * A broker that still holds the topology of an earlier version - shop.events with an alternate-exchange
 * argument, work queues with x-dead-letter-* arguments, parking queues with x-max-length - keeps working: the
 * service's plain declarations are refused as inequivalent, tolerated, and what is there is used; the issue's
 * integration route loads as well (its autoDeclare goes through the service's tolerant RabbitAdmin). Events flow,
 * dead letters reach the hospital through the old arguments. docs/deployment.md, migration.
 */
@SpringBootTest(properties = {"shop.db.name=shipping_test_earlier_topology", "shop.routes.poll-interval-ms=200",
        "shop.shipping.carrier-url=http://127.0.0.1:1"})
class EarlierTopologyTest {

    static final Path OUT = IntegrationRouteFiles.outDir();
    static String vhost;

    @DynamicPropertySource
    static void broker(DynamicPropertyRegistry registry) throws Exception {
        vhost = BrokerPolicies.freshVhost("earlier-topology", false);
        declareEarlierTopology(vhost);
        registry.add("spring.rabbitmq.virtual-host", () -> vhost);
        registry.add("shop.routes.dir", () -> IntegrationRouteFiles.routesDir(OUT).toString());
        registry.add("shop.deadletter.max-attempts", () -> "1");
    }

    /** As the services of the previous version (ADR 13) declared it. */
    static void declareEarlierTopology(String vhost) throws Exception {
        try (Connection c = LocalBroker.factory(vhost).newConnection(); Channel ch = c.createChannel()) {
            ch.exchangeDeclare("shop.unroutable", "fanout", true);
            ch.exchangeDeclare("shop.events", "topic", true, false, Map.of("alternate-exchange", "shop.unroutable"));
            ch.exchangeDeclare("shop.dlx", "direct", true);
            ch.exchangeDeclare("shop.commands", "direct", true);
            ch.queueDeclare("shop.unroutable", true, false, false, Map.of("x-max-length", 10000, "x-overflow", "drop-head"));
            ch.queueBind("shop.unroutable", "shop.unroutable", "");
            ch.queueDeclare("shipping.order-confirmed", true, false, false,
                    Map.of("x-dead-letter-exchange", "shop.dlx", "x-dead-letter-routing-key", "shipping.order-confirmed"));
            ch.queueDeclare("shipping.order-confirmed.dlq", true, false, false, null);
            ch.queueBind("shipping.order-confirmed.dlq", "shop.dlx", "shipping.order-confirmed");
            ch.queueBind("shipping.order-confirmed", "shop.events", "order.confirmed");
        }
    }

    @AfterAll
    static void deleteVhost() {
        BrokerPolicies.deleteVhost(vhost);
    }

    @Autowired CamelContext camel;
    @Autowired ProbesController probes;
    @Autowired JdbcTemplate jdbc;

    @Test
    void theServiceAndAPlainIntegrationRouteRunOnTheEarlierTopology() throws Exception {
        IntegrationRouteFiles.awaitStarted(camel);
        assertThat(probes.ready().getStatusCode().value()).as("/ready").isEqualTo(200);

        // the carrier is unreachable: the shipment is dead-lettered (max-attempts 1) into the hospital
        UUID orderId = UUID.randomUUID();
        String messageId = IntegrationRouteFiles.publishOrderConfirmed(vhost, orderId);

        IntegrationRouteFiles.awaitWritten(OUT, messageId);
        await().atMost(Duration.ofSeconds(30)).until(() ->
                jdbc.queryForObject("SELECT count(*) FROM dead_letters WHERE message_id = ?", Integer.class, messageId) == 1);
        try (Connection c = LocalBroker.factory(vhost).newConnection(); Channel ch = c.createChannel()) {
            // still the old queue: redeclaring it with other arguments would have failed, nothing deleted it
            ch.queueDeclare("shipping.order-confirmed", true, false, false,
                    Map.of("x-dead-letter-exchange", "shop.dlx", "x-dead-letter-routing-key", "shipping.order-confirmed"));
        }
    }
}
