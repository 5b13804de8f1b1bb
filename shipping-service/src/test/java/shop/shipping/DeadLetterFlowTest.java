package shop.shipping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
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
 * and the operator's way back - listing, replay by HTTP and by the replay route - never losing a message and
 * never shipping twice.
 */
class DeadLetterFlowTest extends ShippingIntegrationTest {

    @Test
    void carrierOutageIsRetriedThenDeadLetteredListedAndReplayedOnceFixed() throws Exception {
        UUID orderId = UUID.randomUUID();
        String messageId = UUID.randomUUID().toString();
        carrier.mode(CarrierStub.Mode.UNAVAILABLE_503);

        publish(orderConfirmed(orderId, messageId));

        awaitDlqDepth(1);
        assertThat(carrier.callsFor(orderId)).as("max-attempts=3 deliveries").isEqualTo(3);
        assertThat(shipmentCount(orderId)).isZero();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM inbox", Integer.class)).as("rolled back with the failure").isZero();
        assertThat(queueDepth(ShippingTopology.QUEUE)).isZero();

        // the dead letter: original body, failure headers
        Map<String, Object> headers = peekDlqHeaders();
        assertThat(String.valueOf(headers.get("x-failure-reason"))).contains("503");
        assertThat(String.valueOf(headers.get("x-failed-route"))).isEqualTo(CONSUMER_ROUTE);
        assertThat(String.valueOf(headers.get("x-original-queue"))).isEqualTo(ShippingTopology.QUEUE);
        assertThat(((Number) headers.get("x-attempts")).intValue()).isEqualTo(3);
        assertThat(Instant.parse(String.valueOf(headers.get("x-failed-at")))).isBefore(Instant.now().plusSeconds(1));

        // listing it twice loses nothing
        for (int i = 0; i < 2; i++) {
            Response listed = asOperatorGet("/admin/dlq/shipments");
            assertThat(listed.status()).isEqualTo(200);
            assertThat(listed.body().get("count").asInt()).isEqualTo(1);
            JsonNode message = listed.body().get("messages").get(0);
            assertThat(message.get("orderId").asText()).isEqualTo(orderId.toString());
            assertThat(message.get("messageId").asText()).isEqualTo(messageId);
            assertThat(message.get("reason").asText()).contains("503");
            assertThat(message.get("attempts").asInt()).isEqualTo(3);
            assertThat(Instant.parse(message.get("failedAt").asText())).isNotNull();
            assertThat(message.get("failedRoute").asText()).isEqualTo(CONSUMER_ROUTE);
        }
        assertThat(dlqDepth()).isEqualTo(1);

        // the carrier is back: replay
        carrier.mode(CarrierStub.Mode.OK);
        Response replay = asOperatorPost("/admin/dlq/shipments/replay");
        assertThat(replay.status()).isEqualTo(200);
        assertThat(replay.body().get("replayed").asInt()).isEqualTo(1);
        awaitShipment(orderId);
        assertThat(dlqDepth()).isZero();
        assertThat(shipmentCreatedEvents()).hasSize(1);
        assertThat(jdbc.queryForObject("SELECT tracking_number FROM shipments WHERE order_id = ?", String.class, orderId))
                .isEqualTo(CarrierStub.trackingFor(orderId));

        // replaying again does nothing
        Response again = asOperatorPost("/admin/dlq/shipments/replay");
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.body().get("replayed").asInt()).isZero();
        assertThat(shipmentCount(orderId)).isEqualTo(1);
        assertThat(asOperatorGet("/admin/dlq/shipments").body().get("count").asInt()).isZero();
    }

    @Test
    void replayingTwoDeadLettersOfOneOrderCreatesOneShipment() throws Exception {
        UUID orderId = UUID.randomUUID();
        String messageId = UUID.randomUUID().toString();
        carrier.mode(CarrierStub.Mode.UNAVAILABLE_503);
        publish(orderConfirmed(orderId, messageId));             // the event
        awaitDlqDepth(1);
        publish(orderConfirmed(orderId, messageId));             // its redelivery
        awaitDlqDepth(2);
        publish(orderConfirmed(orderId, UUID.randomUUID().toString())); // a second event for the same order
        awaitDlqDepth(3);

        carrier.mode(CarrierStub.Mode.OK);
        NotifyBuilder replayed = new NotifyBuilder(camel).fromRoute(CONSUMER_ROUTE).whenCompleted(3).create();
        Response replay = asOperatorPost("/admin/dlq/shipments/replay");
        assertThat(replay.body().get("replayed").asInt()).isEqualTo(3);
        assertThat(replay.body().get("remaining").asInt()).isZero();

        assertThat(replayed.matches(20, TimeUnit.SECONDS)).isTrue();
        assertThat(shipmentCount(orderId)).isEqualTo(1);
        assertThat(shipmentCreatedEvents()).hasSize(1);
        assertThat(dlqDepth()).isZero();
    }

    @Test
    void replayHonoursTheLimitAndRejectsABadOne() throws Exception {
        carrier.mode(CarrierStub.Mode.UNAVAILABLE_503);
        UUID first = UUID.randomUUID();
        UUID second = UUID.randomUUID();
        publish(orderConfirmed(first, UUID.randomUUID().toString()));
        awaitDlqDepth(1);
        publish(orderConfirmed(second, UUID.randomUUID().toString()));
        awaitDlqDepth(2);
        carrier.mode(CarrierStub.Mode.OK);

        Response one = asOperatorPost("/admin/dlq/shipments/replay?limit=1");
        assertThat(one.status()).isEqualTo(200);
        assertThat(one.body().get("replayed").asInt()).isEqualTo(1);
        awaitShipment(first);
        assertThat(dlqDepth()).isEqualTo(1);
        assertThat(shipmentCount(second)).isZero();

        for (String bad : new String[] {"0", "10001", "-1", "abc"}) {
            Response rejected = asOperatorPost("/admin/dlq/shipments/replay?limit=" + bad);
            assertThat(rejected.status()).as("limit=" + bad).isEqualTo(400);
            assertThat(rejected.body().get("reason").asText()).isEqualTo("VALIDATION_FAILED");
            assertThat(rejected.body().get("errors").get(0).get("field").asText()).isEqualTo("limit");
        }
        assertThat(dlqDepth()).isEqualTo(1);

        assertThat(post("/admin/dlq/shipments/replay", null, null).status()).isEqualTo(401);
        assertThat(post("/admin/dlq/shipments/replay", "viewer", "viewer-dev-password").status()).isEqualTo(403);
        assertThat(get("/admin/dlq/shipments", null, null).status()).isEqualTo(401);
        assertThat(dlqDepth()).isEqualTo(1);
    }

    @Test
    void aCarrierRefusalGoesStraightToTheDlqAfterOneCall() throws Exception {
        UUID orderId = UUID.randomUUID();
        carrier.mode(CarrierStub.Mode.REJECT_400);

        publish(orderConfirmed(orderId, UUID.randomUUID().toString()));

        awaitDlqDepth(1);
        assertThat(carrier.callsFor(orderId)).isEqualTo(1);
        JsonNode message = asOperatorGet("/admin/dlq/shipments").body().get("messages").get(0);
        assertThat(message.get("orderId").asText()).isEqualTo(orderId.toString());
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

        awaitDlqDepth(1);
        assertThat(carrier.callsFor(orderId)).isEqualTo(3);
        JsonNode message = asOperatorGet("/admin/dlq/shipments").body().get("messages").get(0);
        assertThat(message.get("reason").asText()).contains("did not answer within 500 ms");
        assertThat(message.get("attempts").asInt()).isEqualTo(3);
    }

    @Test
    void aCarrierAnswerWithoutTrackingNumberIsRetriedThenDeadLettered() throws Exception {
        UUID orderId = UUID.randomUUID();
        carrier.mode(CarrierStub.Mode.NO_TRACKING);

        publish(orderConfirmed(orderId, UUID.randomUUID().toString()));

        awaitDlqDepth(1);
        assertThat(carrier.callsFor(orderId)).isEqualTo(3);
        assertThat(asOperatorGet("/admin/dlq/shipments").body().get("messages").get(0).get("reason").asText())
                .contains("without a usable trackingNumber");
    }

    @Test
    void garbageIsDeadLetteredAtOnceAndTheNextEventIsStillProcessed() throws Exception {
        publishRaw("this is { not json".getBytes(StandardCharsets.UTF_8), UUID.randomUUID().toString());
        awaitDlqDepth(1);

        UUID orderId = UUID.randomUUID();
        publish(orderConfirmed(orderId, UUID.randomUUID().toString()));
        awaitShipment(orderId);

        JsonNode listed = asOperatorGet("/admin/dlq/shipments").body();
        assertThat(listed.get("count").asInt()).isEqualTo(1);
        JsonNode garbage = listed.get("messages").get(0);
        assertThat(garbage.get("orderId").isNull()).isTrue();
        assertThat(garbage.get("reason").asText()).contains("JsonParseException");
        assertThat(garbage.get("attempts").asInt()).isEqualTo(1);
        assertThat(carrier.calls()).hasSize(1);
    }

    @Test
    void invalidEventsAreDeadLetteredAtOnceNamingTheProblem() throws Exception {
        Map<String, Object> noCity = orderConfirmed(UUID.randomUUID(), UUID.randomUUID().toString());
        ((Map<String, Object>) noCity.get("shippingAddress")).remove("city");
        Map<String, Object> noItems = orderConfirmed(UUID.randomUUID(), UUID.randomUUID().toString());
        noItems.put("items", java.util.List.of());
        Map<String, Object> badOrderId = orderConfirmed(UUID.randomUUID(), UUID.randomUUID().toString());
        badOrderId.put("orderId", "order-42");
        Map<String, Object> noMessageId = orderConfirmed(UUID.randomUUID(), UUID.randomUUID().toString());
        noMessageId.remove("messageId");
        Map<String, Object> noAddress = orderConfirmed(UUID.randomUUID(), UUID.randomUUID().toString());
        noAddress.remove("shippingAddress");

        for (Map<String, Object> invalid : java.util.List.of(noCity, noItems, badOrderId, noMessageId, noAddress)) {
            publish(invalid);
        }
        publishRaw("null".getBytes(StandardCharsets.UTF_8), UUID.randomUUID().toString());

        awaitDlqDepth(6);
        JsonNode listed = asOperatorGet("/admin/dlq/shipments").body();
        assertThat(listed.get("count").asInt()).isEqualTo(6);
        java.util.List<String> reasons = new java.util.ArrayList<>();
        listed.get("messages").forEach(m -> {
            reasons.add(m.get("reason").asText());
            assertThat(m.get("attempts").asInt()).isEqualTo(1);
        });
        assertThat(reasons).anySatisfy(r -> assertThat(r).contains("shippingAddress.city"));
        assertThat(reasons).anySatisfy(r -> assertThat(r).contains("items"));
        assertThat(reasons).anySatisfy(r -> assertThat(r).contains("InvalidFormatException").contains("UUID"));
        assertThat(reasons).anySatisfy(r -> assertThat(r).contains("messageId"));
        assertThat(reasons).anySatisfy(r -> assertThat(r).contains("shippingAddress "));
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
        awaitDlqDepth(1);
        publish(orderConfirmed(second, UUID.randomUUID().toString()));
        awaitDlqDepth(2);
        publish(orderConfirmed(first, firstMessage));
        awaitDlqDepth(3);
        carrier.mode(CarrierStub.Mode.OK);

        assertThat(camel.getRouteController().getRouteStatus(REPLAY_ROUTE)).isEqualTo(ServiceStatus.Stopped);
        camel.getRouteController().startRoute(REPLAY_ROUTE);

        awaitShipment(first);
        awaitShipment(second);
        await().atMost(Duration.ofSeconds(20)).until(() ->
                camel.getRouteController().getRouteStatus(REPLAY_ROUTE) == ServiceStatus.Stopped);
        assertThat(dlqDepth()).isZero();
        assertThat(shipmentCount(first)).isEqualTo(1);
        assertThat(shipmentCreatedEvents()).hasSize(2);
    }

    @Test
    void operatorsCanStartTheReplayRouteOverHttpAndItStopsOnAnEmptyDlq() throws Exception {
        Response started = asOperatorPost("/actuator/camelroutes/" + REPLAY_ROUTE + "/start");
        assertThat(started.status()).isBetween(200, 204);
        assertThat(camel.getRouteController().getRouteStatus(REPLAY_ROUTE)).isEqualTo(ServiceStatus.Started);

        await().atMost(Duration.ofSeconds(20)).until(() ->
                camel.getRouteController().getRouteStatus(REPLAY_ROUTE) == ServiceStatus.Stopped);
        assertThat(post("/actuator/camelroutes/" + REPLAY_ROUTE + "/start", "viewer", "viewer-dev-password").status())
                .isEqualTo(403);
        assertThat(camel.getRouteController().getRouteStatus(REPLAY_ROUTE)).isEqualTo(ServiceStatus.Stopped);
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
            awaitDlqDepth(1);

            JsonNode message = asOperatorGet("/admin/dlq/shipments").body().get("messages").get(0);
            assertThat(message.get("orderId").asText()).isEqualTo(orderId.toString());
            assertThat(message.get("reason").asText()).isEqualTo("expired");
            assertThat(message.get("attempts").asInt()).isEqualTo(1);
            assertThat(Instant.parse(message.get("failedAt").asText())).isNotNull();

            assertThat(asOperatorPost("/admin/dlq/shipments/replay").body().get("replayed").asInt()).isEqualTo(1);
            assertThat(dlqDepth()).isZero();
            await().atMost(Duration.ofSeconds(10)).until(() -> queueDepth(ShippingTopology.QUEUE) == 1);
            GetResponse back = rabbit.execute(ch -> {
                GetResponse r = ch.basicGet(ShippingTopology.QUEUE, false);
                ch.basicNack(r.getEnvelope().getDeliveryTag(), false, true);
                return r;
            });
            Map<String, Object> headers = back.getProps().getHeaders() == null ? Map.of() : back.getProps().getHeaders();
            assertThat(headers).doesNotContainKeys("x-death", "x-first-death-reason", "x-first-death-queue",
                    "x-first-death-exchange", "x-failure-reason", "x-attempts");
            assertThat(back.getProps().getMessageId()).isEqualTo(messageId);
            assertThat(back.getProps().getExpiration()).isNull();
            assertThat(back.getProps().getDeliveryMode()).isEqualTo(2);
            assertThat(back.getProps().getContentType()).isEqualTo("application/json");
        } finally {
            camel.getRouteController().startRoute(CONSUMER_ROUTE);
        }
        awaitShipment(orderId);
        assertThat(queueDepth(ShippingTopology.QUEUE)).isZero();
    }

    @Test
    void theDlqDepthIsAPrometheusGauge() throws Exception {
        carrier.mode(CarrierStub.Mode.REJECT_400);
        publish(orderConfirmed(UUID.randomUUID(), UUID.randomUUID().toString()));
        publish(orderConfirmed(UUID.randomUUID(), UUID.randomUUID().toString()));
        awaitDlqDepth(2);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            Response metrics = asOperatorGet("/actuator/prometheus");
            assertThat(metrics.status()).isEqualTo(200);
            assertThat(metrics.raw()).containsPattern(
                    "shop_dlq_messages\\{[^}]*queue=\"shipping\\.order-confirmed\\.dlq\"[^}]*} 2\\.0");
        });
        assertThat(get("/actuator/prometheus", "viewer", "viewer-dev-password").status()).isEqualTo(200);

        asOperatorPost("/admin/dlq/shipments/replay");
        // still refused by the carrier: back in the DLQ, nothing lost
        awaitDlqDepth(2);
    }

    private Map<String, Object> peekDlqHeaders() {
        return rabbit.execute(ch -> {
            GetResponse r = ch.basicGet(ShippingTopology.DLQ, false);
            ch.basicNack(r.getEnvelope().getDeliveryTag(), false, true);
            return r.getProps().getHeaders();
        });
    }
}
