package shop.shipping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.GetResponse;
import org.apache.camel.ServiceStatus;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageBuilder;

import shop.shipping.config.ShippingTopology;
import shop.shipping.support.CarrierStub;
import shop.shipping.support.ShippingIntegrationTest;

/**
 * Failures: transient ones retried then dead-lettered with their reason, permanent ones dead-lettered at once,
 * into the message hospital, and the operator's way back - listing any number of times, replay by HTTP and by
 * the replay route - never losing a message and never shipping twice.
 */
class DeadLetterFlowTest extends ShippingIntegrationTest {

    @Test
    void carrierOutageIsRetriedThenDeadLetteredListedAndReplayedOnceFixed() throws Exception {
        UUID orderId = UUID.randomUUID();
        String messageId = UUID.randomUUID().toString();
        carrier.mode(CarrierStub.Mode.UNAVAILABLE_503);

        publish(orderConfirmed(orderId, messageId));

        JsonNode listed = awaitDeadLetters(1, orderId).get(0);
        assertThat(carrier.callsFor(orderId)).as("max-attempts=3 deliveries").isEqualTo(3);
        assertThat(shipmentCount(orderId)).isZero();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM inbox WHERE message_id = ?", Integer.class, messageId))
                .as("the inbox row rolled back with the failure").isZero();
        assertThat(outboxBacklog()).isZero();

        // as listed: from the failure headers the dead letter channel added
        assertThat(listed.get("messageId").asText()).isEqualTo(messageId);
        assertThat(listed.get("reason").asText()).contains("CarrierUnavailableException").contains("HTTP 503");
        assertThat(listed.get("attempts").asInt()).isEqualTo(3);
        assertThat(Instant.parse(listed.get("failedAt").asText())).isBefore(Instant.now().plusSeconds(1));
        assertThat(listed.get("failedRoute").asText()).isEqualTo(CONSUMER_ROUTE);
        assertThat(listed.get("replayedAt").isNull()).isTrue();

        // the dead letter itself, in the hospital: original body and identity, where it failed, its trace
        Map<String, Object> row = jdbc.queryForMap("SELECT body, properties::text AS properties, headers::text AS headers, queue"
                + " FROM dead_letters WHERE message_id = ?", messageId);
        assertThat(JSON.readTree((byte[]) row.get("body")).get("orderId").asText()).isEqualTo(orderId.toString());
        assertThat(JSON.readTree((String) row.get("properties")).get("messageId").asText()).isEqualTo(messageId);
        assertThat(row.get("queue")).isEqualTo(ShippingTopology.QUEUE);
        JsonNode headers = JSON.readTree((String) row.get("headers"));
        assertThat(headers.get("traceparent").asText()).startsWith("00-0af7651916cd43dd8448eb211c80319c");
        assertThat(headers.has("x-failure-reason")).as("the failure is in its columns").isFalse();
        assertThat(queueDepth(ShippingTopology.DLQ)).as("taken off the dead-letter queue").isZero();

        // listing again and again lost nothing, consumed nothing
        for (int i = 0; i < 50; i++) {
            assertThat(deadLettersOf(orderId)).hasSize(1);
        }

        // the carrier is back: replay
        carrier.mode(CarrierStub.Mode.OK);
        Response replay = asOperatorPost("/admin/dlq/shipments/replay");
        assertThat(replay.status()).isEqualTo(200);
        assertThat(replay.body().get("replayed").asInt()).isGreaterThanOrEqualTo(1);
        awaitShipment(orderId);
        assertThat(deadLettersOf(orderId)).isEmpty();
        assertThat(shipmentCreatedEvents()).hasSize(1);
        assertThat(jdbc.queryForObject("SELECT tracking_number FROM shipments WHERE order_id = ?", String.class, orderId))
                .isEqualTo(CarrierStub.trackingFor(orderId));
        assertThat(carrier.callsFor(orderId)).isEqualTo(4);

        // replaying again changes nothing
        Response again = asOperatorPost("/admin/dlq/shipments/replay");
        assertThat(again.status()).isEqualTo(200);
        awaitQuiet();
        assertThat(shipmentCount(orderId)).isEqualTo(1);
        assertThat(carrier.callsFor(orderId)).isEqualTo(4);
        assertThat(shipmentCreatedEvents()).isEmpty();
    }

    @Test
    void replayingSeveralDeadLettersOfOneOrderCreatesOneShipment() throws Exception {
        UUID orderId = UUID.randomUUID();
        String messageId = UUID.randomUUID().toString();
        carrier.mode(CarrierStub.Mode.UNAVAILABLE_503);
        publish(orderConfirmed(orderId, messageId));                     // the event
        awaitDeadLetters(1, orderId);
        publish(orderConfirmed(orderId, messageId));                     // its redelivery: the same messageId, one row
        await().atMost(Duration.ofSeconds(20)).until(() -> carrier.callsFor(orderId) == 6);
        awaitQuiet();
        awaitDeadLetters(1, orderId);
        publish(orderConfirmed(orderId, UUID.randomUUID().toString()));  // another event for the same order
        awaitDeadLetters(2, orderId);

        carrier.mode(CarrierStub.Mode.OK);
        Response replay = asOperatorPost("/admin/dlq/shipments/replay");
        assertThat(replay.body().get("replayed").asInt()).isGreaterThanOrEqualTo(2);

        awaitShipment(orderId);
        awaitQuiet();
        await().atMost(Duration.ofSeconds(20)).until(() -> queueDepth(ShippingTopology.QUEUE) == 0);
        awaitQuiet();
        assertThat(shipmentCount(orderId)).isEqualTo(1);
        // the two replays are published together and may race on the order: both book (idempotent per order at the
        // carrier), one commits, the other rolls back on the unique order and finds the shipment when retried
        assertThat(carrier.callsFor(orderId)).as("3 x 3 failed deliveries + 1 booking (+1 when the replays raced)")
                .isBetween(10, 11);
        assertThat(shipmentCreatedEvents()).hasSize(1);
        assertThat(deadLettersOf(orderId)).isEmpty();
    }

    @Test
    void replayHonoursTheLimitAndRefusesABadOne() throws Exception {
        carrier.mode(CarrierStub.Mode.UNAVAILABLE_503);
        UUID first = UUID.randomUUID();
        UUID second = UUID.randomUUID();
        publish(orderConfirmed(first, UUID.randomUUID().toString()));
        awaitDeadLetters(1, first);
        publish(orderConfirmed(second, UUID.randomUUID().toString()));
        awaitDeadLetters(1, second);
        carrier.mode(CarrierStub.Mode.OK);

        Response one = asOperatorPost("/admin/dlq/shipments/replay?limit=1");
        assertThat(one.status()).isEqualTo(200);
        assertThat(one.body().get("replayed").asInt()).isEqualTo(1);
        assertThat(one.body().get("remaining").asInt()).isGreaterThanOrEqualTo(1);
        awaitShipment(first);
        assertThat(deadLettersOf(first)).isEmpty();
        assertThat(deadLettersOf(second)).hasSize(1);

        for (String bad : new String[] {"0", "10001", "-1", "abc"}) {
            Response rejected = asOperatorPost("/admin/dlq/shipments/replay?limit=" + bad);
            assertThat(rejected.status()).as("limit=" + bad).isEqualTo(400);
            assertThat(rejected.body().get("reason").asText()).isEqualTo("VALIDATION_FAILED");
            assertThat(rejected.body().get("errors").get(0).get("field").asText()).isEqualTo("limit");
        }
        assertThat(post("/admin/dlq/shipments/replay", null, null).status()).isEqualTo(401);
        assertThat(post("/admin/dlq/shipments/replay", "viewer", "viewer-dev-password").status()).isEqualTo(403);
        assertThat(get("/admin/dlq/shipments", null, null).status()).isEqualTo(401);
        assertThat(get("/admin/dlq/shipments", OPERATOR, "not-the-password").status()).isEqualTo(401);
        assertThat(deadLettersOf(second)).as("refused requests moved nothing").hasSize(1);
        assertThat(shipmentCount(second)).isZero();
    }

    @Test
    void aReplayCommittedButNotYetPublishedWhenTheServiceDiedIsPublishedByTheRepublishRoute() throws Exception {
        UUID orderId = UUID.randomUUID();
        String messageId = UUID.randomUUID().toString();
        carrier.mode(CarrierStub.Mode.UNAVAILABLE_503);
        publish(orderConfirmed(orderId, messageId));
        awaitDeadLetters(1, orderId);
        carrier.mode(CarrierStub.Mode.OK);

        // what POST .../replay commits before it publishes: a crash right after leaves exactly this
        jdbc.update("UPDATE dead_letters SET replayed_at = now(), last_replayed_at = now(), replays = replays + 1 WHERE message_id = ?",
                messageId);

        awaitShipment(orderId);
        await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.queryForObject(
                "SELECT published_at IS NOT NULL FROM dead_letters WHERE message_id = ?", Boolean.class, messageId));
        assertThat(deadLettersOf(orderId)).isEmpty();
        assertThat(asOperatorPost("/admin/dlq/shipments/replay").body().get("replayed").asInt()).as("nothing waits").isZero();
    }

    @Test
    void aLateCopyOfAReplayedDeadLetterChangesNothingButTheReplaysOwnFailureWaitsAgain() throws Exception {
        UUID orderId = UUID.randomUUID();
        String messageId = UUID.randomUUID().toString();
        carrier.mode(CarrierStub.Mode.REJECT_400);
        publish(orderConfirmed(orderId, messageId));
        awaitDeadLetters(1, orderId);

        // replayed while the carrier still refuses: its failure carries x-shop-replay=1 and waits again
        assertThat(asOperatorPost("/admin/dlq/shipments/replay").body().get("replayed").asInt()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(20)).until(() -> carrier.callsFor(orderId) == 2);
        JsonNode again = awaitDeadLetters(1, orderId).get(0);
        assertThat(again.get("replayedAt").asText()).isNotEmpty();

        // replayed again, now a stale copy of the first dead letter (no x-shop-replay: say, redelivered after a
        // crash before its ack) arrives: it must not put the row back
        carrier.mode(CarrierStub.Mode.OK);
        assertThat(asOperatorPost("/admin/dlq/shipments/replay").body().get("replayed").asInt()).isEqualTo(1);
        awaitShipment(orderId);
        Message stale = MessageBuilder.withBody(JSON.writeValueAsBytes(orderConfirmed(orderId, messageId)))
                .setContentType("application/json").setMessageId(messageId)
                .setHeader("x-failure-reason", "PermanentMessageFailure: HTTP 400").setHeader("x-attempts", 1).build();
        rabbit.invoke(t -> {
            t.send("", ShippingTopology.DLQ, stale);
            t.waitForConfirmsOrDie(5000);
            return null;
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> queueDepth(ShippingTopology.DLQ) == 0);
        awaitQuiet();
        assertThat(deadLettersOf(orderId)).isEmpty();
        assertThat(jdbc.queryForObject("SELECT replays FROM dead_letters WHERE message_id = ?", Integer.class, messageId)).isEqualTo(2);
        assertThat(shipmentCount(orderId)).isEqualTo(1);
    }

    @Test
    void aCarrierRefusalGoesStraightToTheDlqAfterOneCall() throws Exception {
        UUID orderId = UUID.randomUUID();
        carrier.mode(CarrierStub.Mode.REJECT_400);

        publish(orderConfirmed(orderId, UUID.randomUUID().toString()));

        JsonNode message = awaitDeadLetters(1, orderId).get(0);
        assertThat(carrier.callsFor(orderId)).isEqualTo(1);
        assertThat(message.get("reason").asText()).contains("PermanentMessageFailure").contains("HTTP 400")
                .contains("address not deliverable");
        assertThat(message.get("attempts").asInt()).isEqualTo(1);
        assertThat(shipmentCount(orderId)).isZero();
    }

    @Test
    void anUnresponsiveCarrierIsATransientFailure() throws Exception {
        UUID orderId = UUID.randomUUID();
        carrier.mode(CarrierStub.Mode.SLOW);

        publish(orderConfirmed(orderId, UUID.randomUUID().toString()));

        JsonNode message = awaitDeadLetters(1, orderId).get(0);
        assertThat(carrier.callsFor(orderId)).isEqualTo(3);
        assertThat(message.get("reason").asText()).contains("did not answer within 500 ms");
        assertThat(message.get("attempts").asInt()).isEqualTo(3);
        assertThat(shipmentCount(orderId)).isZero();
    }

    @Test
    void aCarrierAnswerWithoutTrackingNumberIsRetriedThenDeadLettered() throws Exception {
        UUID orderId = UUID.randomUUID();
        carrier.mode(CarrierStub.Mode.NO_TRACKING);

        publish(orderConfirmed(orderId, UUID.randomUUID().toString()));

        JsonNode message = awaitDeadLetters(1, orderId).get(0);
        assertThat(carrier.callsFor(orderId)).isEqualTo(3);
        assertThat(message.get("reason").asText()).contains("without a usable trackingNumber");
    }

    @Test
    void garbageIsDeadLetteredAtOnceAndTheNextEventIsStillProcessed() throws Exception {
        String garbageId = UUID.randomUUID().toString();
        publishRaw("this is { not json".getBytes(StandardCharsets.UTF_8), garbageId);
        JsonNode garbage = awaitDeadLetters(1, garbageId).get(0);

        UUID orderId = UUID.randomUUID();
        publish(orderConfirmed(orderId, UUID.randomUUID().toString()));
        awaitShipment(orderId);

        assertThat(garbage.get("orderId").isNull()).isTrue();
        assertThat(garbage.get("reason").asText()).contains("JsonParseException");
        assertThat(garbage.get("attempts").asInt()).isEqualTo(1);
        assertThat(carrier.callsFor(orderId)).isEqualTo(1);
    }

    @Test
    void invalidEventsAreDeadLetteredAtOnceNamingTheProblem() throws Exception {
        Map<String, Object> noCity = orderConfirmed(UUID.randomUUID(), UUID.randomUUID().toString());
        ((Map<?, ?>) noCity.get("shippingAddress")).remove("city");
        Map<String, Object> noItems = orderConfirmed(UUID.randomUUID(), UUID.randomUUID().toString());
        noItems.put("items", List.of());
        Map<String, Object> badOrderId = orderConfirmed(UUID.randomUUID(), UUID.randomUUID().toString());
        badOrderId.put("orderId", "order-42");
        Map<String, Object> noAddress = orderConfirmed(UUID.randomUUID(), UUID.randomUUID().toString());
        noAddress.remove("shippingAddress");
        Map<String, Object> noMessageId = orderConfirmed(UUID.randomUUID(), "will-be-removed");
        noMessageId.remove("messageId");
        String noMessageIdProperty = UUID.randomUUID().toString();
        String nullBody = UUID.randomUUID().toString();

        List<Object> ids = new ArrayList<>();
        for (Map<String, Object> invalid : List.of(noCity, noItems, badOrderId, noAddress)) {
            publish(invalid);
            ids.add(invalid.get("messageId"));
        }
        publishRaw(JSON.writeValueAsBytes(noMessageId), noMessageIdProperty);
        ids.add(noMessageId.get("orderId"));
        publishRaw("null".getBytes(StandardCharsets.UTF_8), nullBody);
        ids.add(nullBody);

        List<JsonNode> dead = awaitDeadLetters(6, ids.toArray());
        List<String> reasons = new ArrayList<>();
        dead.forEach(m -> {
            reasons.add(m.get("reason").asText());
            assertThat(m.get("attempts").asInt()).as(m.toString()).isEqualTo(1);
        });
        assertThat(reasons).anySatisfy(r -> assertThat(r).contains("shippingAddress.city must not be blank"));
        assertThat(reasons).anySatisfy(r -> assertThat(r).contains("items must not be empty"));
        assertThat(reasons).anySatisfy(r -> assertThat(r).contains("InvalidFormatException").contains("UUID"));
        assertThat(reasons).anySatisfy(r -> assertThat(r).contains("shippingAddress must not be null"));
        assertThat(reasons).anySatisfy(r -> assertThat(r).contains("messageId must not be blank"));
        assertThat(reasons).anySatisfy(r -> assertThat(r).contains("empty or JSON null"));
        assertThat(carrier.calls()).isEmpty();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM shipments", Integer.class)).isZero();
    }

    @Test
    void theReplayRouteDrainsTheDlqAndStopsItself() throws Exception {
        carrier.mode(CarrierStub.Mode.UNAVAILABLE_503);
        UUID first = UUID.randomUUID();
        UUID second = UUID.randomUUID();
        String firstMessage = UUID.randomUUID().toString();
        publish(orderConfirmed(first, firstMessage));
        awaitDeadLetters(1, first);
        publish(orderConfirmed(second, UUID.randomUUID().toString()));
        awaitDeadLetters(1, second);
        publish(orderConfirmed(first, firstMessage));   // a redelivery of the first: no second row
        await().atMost(Duration.ofSeconds(20)).until(() -> carrier.callsFor(first) == 6);
        awaitQuiet();
        awaitDeadLetters(2, first, second);
        carrier.mode(CarrierStub.Mode.OK);

        assertThat(camel.getRouteController().getRouteStatus(REPLAY_ROUTE)).isEqualTo(ServiceStatus.Stopped);
        camel.getRouteController().startRoute(REPLAY_ROUTE);

        awaitShipment(first);
        awaitShipment(second);
        await().atMost(Duration.ofSeconds(30)).until(() ->
                camel.getRouteController().getRouteStatus(REPLAY_ROUTE) == ServiceStatus.Stopped);
        assertThat(deadLettersOf(first, second)).isEmpty();
        awaitQuiet();
        assertThat(shipmentCount(first)).isEqualTo(1);
        assertThat(shipmentCreatedEvents()).hasSize(2);
    }

    @Test
    void theReplayRouteLeavesAMessageThatFailsAgainAndStops() throws Exception {
        UUID orderId = UUID.randomUUID();
        carrier.mode(CarrierStub.Mode.REJECT_400);
        publish(orderConfirmed(orderId, UUID.randomUUID().toString()));
        awaitDeadLetters(1, orderId);

        camel.getRouteController().startRoute(REPLAY_ROUTE);

        await().atMost(Duration.ofSeconds(30)).until(() ->
                camel.getRouteController().getRouteStatus(REPLAY_ROUTE) == ServiceStatus.Stopped);
        JsonNode message = awaitDeadLetters(1, orderId).get(0);
        assertThat(message.get("replayedAt").asText()).as("it was replayed once").isNotEmpty();
        assertThat(carrier.callsFor(orderId)).as("first delivery + one replay, no loop").isEqualTo(2);
    }

    @Test
    void operatorsCanStartTheReplayRouteOverJolokiaAndItStopsWhenTheDlqIsEmpty() throws Exception {
        // what hawtio's Start button does, and the runbook's curl (context=shipping-service). This JVM holds the
        // contexts of several test classes: the first to start has that name in JMX, the others a numbered one
        String start = "/actuator/jolokia/exec/org.apache.camel:context=" + camel.getManagementName()
                + ",type=routes,name=%22" + REPLAY_ROUTE + "%22/start()";
        assertThat(get(start, "viewer", "viewer-dev-password").status()).as("viewers only look").isEqualTo(403);
        assertThat(get(start, null, null).status()).isEqualTo(401);
        assertThat(camel.getRouteController().getRouteStatus(REPLAY_ROUTE)).isEqualTo(ServiceStatus.Stopped);
        UUID orderId = UUID.randomUUID();
        carrier.mode(CarrierStub.Mode.UNAVAILABLE_503);
        publish(orderConfirmed(orderId, UUID.randomUUID().toString()));
        awaitDeadLetters(1, orderId);
        carrier.mode(CarrierStub.Mode.OK);

        Response started = asOperatorGet(start);
        assertThat(started.status()).isEqualTo(200);
        assertThat(started.raw()).contains("\"status\":200");

        awaitShipment(orderId);
        await().atMost(Duration.ofSeconds(30)).until(() ->
                camel.getRouteController().getRouteStatus(REPLAY_ROUTE) == ServiceStatus.Stopped);
        assertThat(deadLettersOf(orderId)).isEmpty();
    }

    @Test
    void aMessageRabbitMqDeadLetteredItselfIsListedFromXDeathAndReplayedWithoutIt() throws Exception {
        UUID orderId = UUID.randomUUID();
        String messageId = UUID.randomUUID().toString();
        camel.getRouteController().stopRoute(CONSUMER_ROUTE);
        try {
            // expires in the queue while nobody consumes: RabbitMQ dead-letters it with x-death reason "expired"
            Message expiring = MessageBuilder.withBody(JSON.writeValueAsBytes(orderConfirmed(orderId, messageId)))
                    .setContentType("application/json").setMessageId(messageId).setExpiration("1").build();
            rabbit.invoke(t -> {
                t.send("", ShippingTopology.QUEUE, expiring);
                t.waitForConfirmsOrDie(5000);
                return null;
            });

            JsonNode message = awaitDeadLetters(1, orderId).get(0);
            assertThat(message.get("reason").asText()).isEqualTo("expired");
            assertThat(message.get("attempts").asInt()).isEqualTo(1);
            assertThat(Instant.parse(message.get("failedAt").asText())).isBefore(Instant.now().plusSeconds(1));
            assertThat(message.get("messageId").asText()).isEqualTo(messageId);

            assertThat(asOperatorPost("/admin/dlq/shipments/replay").body().get("replayed").asInt()).isGreaterThanOrEqualTo(1);
            assertThat(deadLettersOf(orderId)).isEmpty();
            GetResponse back = peek(ShippingTopology.QUEUE, messageId);
            Map<String, Object> headers = back.getProps().getHeaders();
            assertThat(headers).doesNotContainKeys("x-death", "x-first-death-reason", "x-first-death-queue",
                    "x-first-death-exchange", "x-failure-reason", "x-attempts");
            assertThat(Instant.parse(String.valueOf(headers.get("x-replayed-at")))).isBefore(Instant.now().plusSeconds(1));
            assertThat(back.getProps().getMessageId()).isEqualTo(messageId);
            assertThat(back.getProps().getExpiration()).isNull();
            assertThat(back.getProps().getDeliveryMode()).isEqualTo(2);
            assertThat(back.getProps().getContentType()).isEqualTo("application/json");
        } finally {
            camel.getRouteController().startRoute(CONSUMER_ROUTE);
        }
        awaitShipment(orderId);
    }

    @Test
    void theDlqDepthIsAPrometheusGauge() throws Exception {
        carrier.mode(CarrierStub.Mode.REJECT_400);
        UUID first = UUID.randomUUID();
        UUID second = UUID.randomUUID();
        publish(orderConfirmed(first, UUID.randomUUID().toString()));
        publish(orderConfirmed(second, UUID.randomUUID().toString()));
        awaitDeadLetters(2, first, second);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            Response metrics = asOperatorGet("/actuator/prometheus");
            assertThat(metrics.status()).isEqualTo(200);
            java.util.regex.Matcher gauge = java.util.regex.Pattern.compile(
                    "shop_dlq_messages\\{[^}]*queue=\"shipping\\.order-confirmed\\.dlq\"[^}]*} (\\d+)\\.0").matcher(metrics.raw());
            assertThat(gauge.find()).as(metrics.raw()).isTrue();
            assertThat(Integer.parseInt(gauge.group(1))).isGreaterThanOrEqualTo(2).isEqualTo(dlqDepth());
        });
        assertThat(get("/actuator/prometheus", "viewer", "viewer-dev-password").status()).isEqualTo(200);
        assertThat(get("/actuator/prometheus", null, null).status()).isEqualTo(401);
    }

    /** The message with this messageId from the queue, leaving it (and every other) in place. */
    private GetResponse peek(String queue, String messageId) {
        return rabbit.execute(ch -> {
            GetResponse found = null;
            long last = -1;
            for (int i = 0; i < 1000 && found == null; i++) {
                GetResponse r = ch.basicGet(queue, false);
                if (r == null) {
                    break;
                }
                last = r.getEnvelope().getDeliveryTag();
                if (messageId.equals(r.getProps().getMessageId())) {
                    found = r;
                }
            }
            if (last >= 0) {
                ch.basicNack(last, true, true);
            }
            if (found == null) {
                throw new AssertionError("no message " + messageId + " in " + queue);
            }
            return found;
        });
    }
}
