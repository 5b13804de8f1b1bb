package shop.shipping.support;

import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.apache.camel.api.management.ManagedCamelContext;
import org.apache.camel.api.management.mbean.ManagedRouteMBean;
import org.springframework.jdbc.core.JdbcTemplate;

import shop.platform.testing.BrokerPolicies;
import shop.platform.testing.LocalBroker;

/**
 * The shipping service's route folder as compose mounts it at ROUTES_DIR (compose/routes/shipping-service; the
 * ConfigMap shipping-service-routes is generated from the same files), with its worked example
 * partner-shipment-webhook.yaml, and what the tests around it need.
 */
public final class MountedRoutesFolder {

    public static final Path FOLDER = BrokerPolicies.repositoryRoot().resolve("compose/routes/shipping-service");
    public static final String QUEUE = "integrations.partner-shipments";
    public static final String SUBSCRIPTION = "partner-shipments-subscription";
    public static final String HANDLER = "partner-shipment";
    public static final String WEBHOOK = "partner-shipments-webhook";

    private MountedRoutesFolder() {
    }

    /** Waits until the watcher has loaded the folder and the example's routes run. */
    public static void awaitStarted(CamelContext camel) {
        await().atMost(Duration.ofSeconds(60)).until(() -> List.of(SUBSCRIPTION, HANDLER, WEBHOOK).stream()
                .allMatch(id -> camel.getRouteController().getRouteStatus(id) == ServiceStatus.Started));
    }

    /** A shipment.created event on shop.events, persistent, confirmed by the broker; returns its messageId. */
    public static String publishShipmentCreated(String vhost, UUID shipmentId, UUID orderId) throws Exception {
        String messageId = UUID.randomUUID().toString();
        String body = """
                {"messageId":"%s","type":"shipment.created","occurredAt":"2026-01-01T00:00:00Z","schemaVersion":1,
                 "shipmentId":"%s","orderId":"%s","trackingNumber":"TRK-%s"}""".formatted(messageId, shipmentId, orderId,
                shipmentId.toString().substring(0, 8));
        LocalBroker.publishEvent(LocalBroker.factory(vhost), "shipment.created", messageId, body.getBytes(StandardCharsets.UTF_8));
        return messageId;
    }

    /** Waits until the subscription's inbox row of the event is committed: the handler ran and succeeded. */
    public static void awaitHandled(JdbcTemplate jdbc, String messageId) {
        // a failed handling rolls its inbox row back; a dead-lettered event never has one
        await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.queryForObject(
                "SELECT count(*) FROM inbox WHERE message_id = ?", Integer.class, QUEUE + ":" + messageId) == 1);
    }

    public static int depth(String vhost, String queue) throws Exception {
        try (Connection c = LocalBroker.factory(vhost).newConnection(); Channel ch = c.createChannel()) {
            return ch.queueDeclarePassive(queue).getMessageCount();
        }
    }

    public static ManagedRouteMBean route(CamelContext camel, String id) {
        return camel.getCamelContextExtension().getContextPlugin(ManagedCamelContext.class).getManagedRoute(id);
    }
}
