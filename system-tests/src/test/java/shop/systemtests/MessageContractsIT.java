package shop.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DeliverCallback;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import shop.contracts.MessageSchemas;

/**
 * The message contracts ({@code contracts/asyncapi.yaml}, a JSON Schema per message in {@code contracts/messages/})
 * hold for what the services really send: a queue of the test's own, bound to {@code shop.events} (every event)
 * and to {@code shop.commands} (every command type), captures the messages of a confirmed, a declined and an
 * out-of-stock order, and each is validated against the schema its {@code type} names.
 */
class MessageContractsIT extends SystemTest {

    /**
     * The routing key of the services' /ready probe (platform BrokerPoliciesProbe): an empty, already expired publish
     * to shop.events that only asks the broker whether the policies hold. A queue bound to "#" with a consumer waiting
     * may receive it; it is no shop message.
     */
    private static final String READINESS_PROBE = "shop.readiness-probe";
    private static final Path CONTRACTS = Path.of(System.getProperty("shop.root", "..")).resolve("contracts");
    /** What the three orders below must make the services send; payment.status and payment.refunded are recovery paths. */
    private static final Set<String> EXPECTED = Set.of("order.confirmed", "order.failed", "payment.completed", "shipment.created",
            "inventory.reserve", "inventory.release", "inventory.confirm", "payment.charge", "payment.refund");

    @Test
    void everyMessageTheServicesSendMatchesItsSchema() throws Exception {
        Map<String, Schema> schemas = MessageSchemas.load(CONTRACTS.resolve("messages"));
        ConcurrentLinkedQueue<Captured> captured = new ConcurrentLinkedQueue<>();
        try (Connection connection = Vhosts.factory().newConnection(); Channel channel = connection.createChannel()) {
            String queue = channel.queueDeclare("", false, true, true, null).getQueue();
            channel.queueBind(queue, "shop.events", "#");
            for (String type : schemas.keySet()) {
                if (kind(type).equals("command")) {
                    channel.queueBind(queue, "shop.commands", type);
                }
            }
            DeliverCallback capture = (tag, delivery) -> captured.add(new Captured(delivery.getEnvelope().getExchange(),
                    delivery.getEnvelope().getRoutingKey(), new String(delivery.getBody(), StandardCharsets.UTF_8)));
            channel.basicConsume(queue, true, capture, tag -> { });

            String sku = Shop.uniqueSku("CONTRACT");
            shop.stock(sku, 1250, 3);
            assertThat(shop.place("contracts", Shop.order("pm_card_visa", sku, 2)).statusCode()).isEqualTo(201);
            assertThat(shop.place("contracts", Shop.order("pm_card_chargeDeclined", sku, 1)).statusCode()).isEqualTo(402);
            assertThat(shop.place("contracts", Shop.order("pm_card_visa", sku, 5)).statusCode()).isEqualTo(409);

            await("every kind of message captured").atMost(Duration.ofSeconds(60))
                    .untilAsserted(() -> assertThat(types(captured)).containsAll(EXPECTED));
        }

        List<String> problems = new ArrayList<>();
        for (Captured message : captured) {
            if (message.routingKey().equals(READINESS_PROBE)) {
                continue;
            }
            JsonNode body = Http.JSON.readTree(message.body());
            String type = body.path("type").asText();
            assertThat(type).as("type of a message routed %s on %s", message.routingKey(), message.exchange())
                    .isEqualTo(message.routingKey());
            Schema schema = schemas.get(type);
            if (schema == null) {
                problems.add(type + ": no schema in contracts/messages/ for a message the services send");
                continue;
            }
            for (Error error : schema.validate(body)) {
                problems.add(type + ": " + error.getMessage() + " in " + message.body());
            }
        }
        assertThat(problems).as("messages that break their contract").isEmpty();
    }

    @Test
    void theAsyncApiDocumentListsEverySchemaAndNothingElse() throws Exception {
        Map<String, Object> asyncapi = new Yaml().load(Files.readString(CONTRACTS.resolve("asyncapi.yaml")));
        assertThat(asyncapi.get("asyncapi")).isEqualTo("3.0.0");
        @SuppressWarnings("unchecked")
        Map<String, Object> channels = (Map<String, Object>) asyncapi.get("channels");
        assertThat(new TreeSet<>(channels.keySet())).isEqualTo(new TreeSet<>(MessageSchemas.load(CONTRACTS.resolve("messages")).keySet()));
        for (String type : channels.keySet()) {
            String exchange = kind(type).equals("event") ? "shop.events" : "shop.commands";
            assertThat(channels.get(type).toString()).as("channel %s", type).contains("name=" + exchange);
        }
    }

    private record Captured(String exchange, String routingKey, String body) {
    }

    private static Set<String> types(ConcurrentLinkedQueue<Captured> captured) {
        Set<String> types = new TreeSet<>();
        captured.forEach(c -> types.add(c.routingKey()));
        return types;
    }

    private static String kind(String type) throws Exception {
        JsonNode schema = Http.JSON.readTree(CONTRACTS.resolve("messages").resolve(type + ".schema.json").toFile());
        return schema.path("x-shop-kind").asText();
    }
}
