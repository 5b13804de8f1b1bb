package shop.shipping.support;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;

import shop.platform.testing.LocalBroker;

/**
 * The integration route of issue 14, written the way Camel's documentation shows - plain {@code autoDeclare} of
 * the {@code shop.events} topic exchange, no platform template - as a ROUTES_DIR file, and the broker access
 * the tests around it need.
 */
public final class IntegrationRouteFiles {

    public static final String ROUTE_ID = "my-integration";
    public static final String QUEUE = "my-integration";

    /** The integration's route, loaded from the folder, has started. */
    public static void awaitStarted(CamelContext camel) {
        await().atMost(Duration.ofSeconds(30)).until(() -> camel.getRouteController().getRouteStatus(ROUTE_ID) == ServiceStatus.Started);
    }

    /**
     * The route exactly as in the issue, writing what it receives into {@code out}: plain {@code autoDeclare}, no
     * template. The system tests' {@code RabbitClusterIT} mounts the same file.
     */
    public static String route(Path out) {
        return """
                - route:
                    id: my-integration
                    from:
                      uri: spring-rabbitmq:shop.events
                      parameters: {queues: my-integration, routingKey: order.confirmed, exchangeType: topic,
                                   autoDeclare: true, arg.queue.durable: true}
                      steps:
                        - to: file:%s
                """.formatted(out);
    }

    /** A new ROUTES_DIR holding {@link #route} as {@code my-integration.yaml}. */
    public static Path routesDir(Path out) {
        try {
            Path dir = Files.createTempDirectory("shop-routes-");
            Files.writeString(dir.resolve("my-integration.yaml"), route(out));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Path outDir() {
        try {
            return Files.createTempDirectory("shop-integration-out-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An order.confirmed event on shop.events, persistent, confirmed by the broker. */
    public static String publishOrderConfirmed(String vhost, UUID orderId) throws Exception {
        String messageId = UUID.randomUUID().toString();
        String body = """
                {"messageId":"%s","type":"order.confirmed","occurredAt":"2025-01-01T00:00:00Z","schemaVersion":1,
                 "orderId":"%s","userId":"u-1","items":[{"productId":"SKU-001","quantity":1,"unitPrice":100}],
                 "totalAmount":100,"currency":"USD","shippingAddress":{"name":"Ada Lovelace","line1":"1 Main St",
                 "city":"London","postalCode":"N1 9GU","country":"GB"}}""".formatted(messageId, orderId);
        LocalBroker.publishEvent(LocalBroker.factory(vhost), "order.confirmed", messageId, body.getBytes(StandardCharsets.UTF_8));
        return messageId;
    }

    /** Waits until the route wrote a file that holds the message. */
    public static void awaitWritten(Path out, String messageId) {
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            try (var files = Files.list(out)) {
                List<Path> written = files.filter(Files::isRegularFile).toList();
                for (Path f : written) {
                    if (Files.readString(f).contains(messageId)) {
                        return true;
                    }
                }
                return false;
            }
        });
    }

    private IntegrationRouteFiles() {
    }
}
