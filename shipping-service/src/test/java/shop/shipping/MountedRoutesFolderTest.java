package shop.shipping;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.UUID;

import org.apache.camel.CamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import shop.platform.testing.BrokerPolicies;
import shop.platform.web.ProbesController;
import shop.shipping.support.MountedRoutesFolder;

/**
 * Issue 16, integrations deployable: the route folder compose and Kubernetes mount as the shipping service's
 * ROUTES_DIR, loaded as it is shipped, runs out of the box. Its worked example (partner-shipment-webhook.yaml)
 * handles every shipment.created once, logs the partner message it would send and calls nothing while
 * PARTNER_SHIPMENTS_URL is unset: no retry, no dead letter. The service runs in a vhost of its own with the
 * policies of config/rabbitmq/definitions.json, and a database of its own.
 */
@SpringBootTest(properties = {"shop.db.name=shipping_test_routes_folder", "shop.routes.poll-interval-ms=200"})
@ExtendWith(OutputCaptureExtension.class)
class MountedRoutesFolderTest {

    static String vhost;

    @DynamicPropertySource
    static void broker(DynamicPropertyRegistry registry) {
        vhost = BrokerPolicies.freshVhost("routes-folder", true);
        registry.add("spring.rabbitmq.virtual-host", () -> vhost);
        registry.add("shop.routes.dir", MountedRoutesFolder.FOLDER::toString);
    }

    @AfterAll
    static void deleteVhost() {
        // the cached context keeps reconnecting to a deleted vhost: harmless, the JVM ends with the module's tests
        BrokerPolicies.deleteVhost(vhost);
    }

    @Autowired CamelContext camel;
    @Autowired JdbcTemplate jdbc;
    @Autowired ProbesController probes;

    @Test
    void theShippedExampleHandlesEachShipmentWithoutWebhookAndDeadLettersNothing(CapturedOutput output) throws Exception {
        MountedRoutesFolder.awaitStarted(camel);

        UUID shipmentId = UUID.randomUUID();
        UUID orderId = UUID.randomUUID();
        String messageId = MountedRoutesFolder.publishShipmentCreated(vhost, shipmentId, orderId);

        MountedRoutesFolder.awaitHandled(jdbc, messageId);
        assertThat(output.getAll()).contains("partner shipment message for shipment " + shipmentId + " (order " + orderId
                + ") not sent: no webhook configured (PARTNER_SHIPMENTS_URL)");
        assertThat(MountedRoutesFolder.depth(vhost, MountedRoutesFolder.QUEUE + ".dlq")).as("dead letters").isZero();
        assertThat(MountedRoutesFolder.depth(vhost, MountedRoutesFolder.QUEUE)).as("events waiting").isZero();
        assertThat(MountedRoutesFolder.route(camel, MountedRoutesFolder.SUBSCRIPTION).getExchangesFailed()).as("failed deliveries").isZero();
        assertThat(MountedRoutesFolder.route(camel, MountedRoutesFolder.HANDLER).getExchangesCompleted()).isEqualTo(1);
        assertThat(MountedRoutesFolder.route(camel, MountedRoutesFolder.WEBHOOK).getExchangesTotal()).as("webhook calls").isZero();
        ResponseEntity<Map<String, String>> ready = probes.ready();
        assertThat(ready.getStatusCode().value()).as("/ready with the folder's routes").isEqualTo(200);
    }
}
