package shop.shipping.messaging;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;

/**
 * The integration route of issue 14, written the way Camel's documentation shows - plain {@code autoDeclare} of
 * the {@code shop.events} topic exchange, no platform template - as a ROUTES_DIR file, and the broker access
 * the tests around it need (a vhost of their own).
 */
final class IntegrationRouteFiles {

    static final String ROUTE_ID = "my-integration";
    static final String QUEUE = "my-integration";

    /** The route file exactly as in the issue, writing what it receives into {@code out}. */
    static Path routesDir(Path out) {
        try {
            Path dir = Files.createTempDirectory("shop-routes-");
            Files.writeString(dir.resolve("my-integration.yaml"), """
                    - route:
                        id: my-integration
                        from:
                          uri: spring-rabbitmq:shop.events
                          parameters: {queues: my-integration, routingKey: order.confirmed, exchangeType: topic,
                                       autoDeclare: true, arg.queue.durable: true}
                          steps:
                            - to: file:%s
                    """.formatted(out));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path outDir() {
        try {
            return Files.createTempDirectory("shop-integration-out-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ConnectionFactory broker(String vhost) {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost("127.0.0.1");
        factory.setVirtualHost(vhost);
        return factory;
    }

    /** An order.confirmed event on shop.events, persistent, confirmed by the broker. */
    static String publishOrderConfirmed(String vhost, UUID orderId) throws Exception {
        String messageId = UUID.randomUUID().toString();
        String body = """
                {"messageId":"%s","type":"order.confirmed","occurredAt":"2025-01-01T00:00:00Z","schemaVersion":1,
                 "orderId":"%s","userId":"u-1","items":[{"productId":"SKU-001","quantity":1,"unitPrice":100}],
                 "totalAmount":100,"currency":"USD","shippingAddress":{"name":"Ada Lovelace","line1":"1 Main St",
                 "city":"London","postalCode":"N1 9GU","country":"GB"}}""".formatted(messageId, orderId);
        try (Connection c = broker(vhost).newConnection(); Channel ch = c.createChannel()) {
            ch.confirmSelect();
            ch.basicPublish("shop.events", "order.confirmed", true, new AMQP.BasicProperties.Builder().messageId(messageId)
                    .contentType("application/json").deliveryMode(2).build(), body.getBytes(StandardCharsets.UTF_8));
            ch.waitForConfirmsOrDie(5000);
        }
        return messageId;
    }

    /** Waits until the route wrote a file that holds the message. */
    static void awaitWritten(Path out, String messageId) {
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
