package shop.shipping;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.Test;

import shop.shipping.support.CarrierStub;
import shop.shipping.support.ShippingIntegrationTest;

/** order.confirmed -> exactly one shipment and one shipment.created, however often and however concurrently it comes. */
class ShipmentFlowTest extends ShippingIntegrationTest {

    @Test
    void confirmedOrderGetsOneShipmentWithTheCarriersTrackingNumberAndShipmentCreatedIsPublished() throws Exception {
        UUID orderId = UUID.randomUUID();
        String messageId = UUID.randomUUID().toString();

        publish(orderConfirmed(orderId, messageId));

        awaitShipment(orderId);
        var row = jdbc.queryForMap("SELECT shipment_id, status, tracking_number, carrier, address->>'city' AS city FROM shipments WHERE order_id = ?", orderId);
        assertThat(row.get("status")).isEqualTo("CREATED");
        assertThat(row.get("tracking_number")).isEqualTo(CarrierStub.trackingFor(orderId));
        assertThat(row.get("carrier")).isEqualTo("127.0.0.1");
        assertThat(row.get("city")).isEqualTo("London");

        // the carrier saw the contract's request
        assertThat(carrier.callsFor(orderId)).isEqualTo(1);
        CarrierStub.Call call = carrier.calls().get(0);
        assertThat(call.idempotencyKey()).isEqualTo(orderId.toString());
        assertThat(call.contentType()).startsWith("application/json");
        assertThat(call.traceparent()).as("the carrier call joins the order's trace")
                .startsWith("00-0af7651916cd43dd8448eb211c80319c-");
        assertThat(call.body().get("orderId").asText()).isEqualTo(orderId.toString());
        assertThat(call.body().get("address").get("postalCode").asText()).isEqualTo("N1 9GU");
        assertThat(call.body().get("items")).hasSize(2);
        assertThat(call.body().get("items").get(0).get("productId").asText()).isEqualTo("SKU-001");
        assertThat(call.body().get("items").get(0).get("quantity").asInt()).isEqualTo(2);

        List<JsonNode> events = shipmentCreatedEvents();
        assertThat(events).hasSize(1);
        JsonNode event = events.get(0);
        assertThat(event.get("type").asText()).isEqualTo("shipment.created");
        assertThat(event.fieldNames()).toIterable().containsExactlyInAnyOrder("messageId", "type", "occurredAt", "schemaVersion",
                "shipmentId", "orderId", "trackingNumber");
        assertThat(event.get("schemaVersion").asInt()).isEqualTo(1);
        assertThat(event.hasNonNull("messageId")).isTrue();
        assertThat(event.hasNonNull("occurredAt")).isTrue();
        assertThat(event.get("orderId").asText()).isEqualTo(orderId.toString());
        assertThat(event.get("shipmentId").asText()).isEqualTo(row.get("shipment_id").toString());
        assertThat(event.get("trackingNumber").asText()).isEqualTo(CarrierStub.trackingFor(orderId));

        // the inbox remembers the message, the queues hold nothing
        assertThat(jdbc.queryForObject("SELECT count(*) FROM inbox WHERE consumer = 'shipping-service' AND message_id = ?",
                Integer.class, messageId)).isEqualTo(1);
        assertThat(deadLettersOf(orderId, messageId)).isEmpty();
    }

    @Test
    void theSameMessageTwiceCreatesOneShipmentWithOneCarrierCall() throws Exception {
        UUID orderId = UUID.randomUUID();
        String messageId = UUID.randomUUID().toString();
        NotifyBuilder both = new NotifyBuilder(camel).fromRoute(CONSUMER_ROUTE).whenCompleted(2).create();

        publish(orderConfirmed(orderId, messageId));
        publish(orderConfirmed(orderId, messageId));

        assertThat(both.matches(20, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(shipmentCount(orderId)).isEqualTo(1);
        assertThat(carrier.callsFor(orderId)).isEqualTo(1);
        assertThat(shipmentCreatedEvents()).hasSize(1);
        assertThat(deadLettersOf(orderId)).isEmpty();
    }

    @Test
    void theSameOrderWithAnotherMessageIdCreatesNoSecondShipment() throws Exception {
        UUID orderId = UUID.randomUUID();

        publish(orderConfirmed(orderId, UUID.randomUUID().toString()));
        awaitShipment(orderId);
        NotifyBuilder second = new NotifyBuilder(camel).fromRoute(CONSUMER_ROUTE).whenCompleted(1).create();
        publish(orderConfirmed(orderId, UUID.randomUUID().toString()));

        assertThat(second.matches(20, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(shipmentCount(orderId)).isEqualTo(1);
        assertThat(carrier.callsFor(orderId)).as("an order that has its shipment is not booked again").isEqualTo(1);
        assertThat(shipmentCreatedEvents()).hasSize(1);
        assertThat(deadLettersOf(orderId)).isEmpty();
    }

    @Test
    void concurrentEventsForOneOrderCreateOneShipmentAndOneEvent() throws Exception {
        UUID orderId = UUID.randomUUID();
        int copies = 8;
        NotifyBuilder all = new NotifyBuilder(camel).fromRoute(CONSUMER_ROUTE).whenCompleted(copies).create();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> sent = new java.util.ArrayList<>();
            for (int i = 0; i < copies; i++) {
                // half of them redeliveries of one message, half new messageIds for the same order
                String messageId = i % 2 == 0 ? "same-" + orderId : UUID.randomUUID().toString();
                sent.add(pool.submit(() -> {
                    publish(orderConfirmed(orderId, messageId));
                    return null;
                }));
            }
            for (Future<?> f : sent) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }

        assertThat(all.matches(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(shipmentCount(orderId)).isEqualTo(1);
        assertThat(shipmentCreatedEvents()).hasSize(1);
        assertThat(deadLettersOf(orderId)).as("a concurrent duplicate is skipped, not failed").isEmpty();
    }

    @Test
    void getShipmentsByOrderForOperators() throws Exception {
        UUID orderId = UUID.randomUUID();
        publish(orderConfirmed(orderId, UUID.randomUUID().toString()));
        awaitShipment(orderId);

        Response found = asOperatorGet("/shipments?orderId=" + orderId);
        assertThat(found.status()).isEqualTo(200);
        assertThat(found.body().isArray()).isTrue();
        assertThat(found.body()).hasSize(1);
        JsonNode shipment = found.body().get(0);
        assertThat(shipment.get("orderId").asText()).isEqualTo(orderId.toString());
        assertThat(shipment.get("status").asText()).isEqualTo("CREATED");
        assertThat(shipment.get("trackingNumber").asText()).isEqualTo(CarrierStub.trackingFor(orderId));
        assertThat(UUID.fromString(shipment.get("shipmentId").asText())).isNotNull();

        Response none = asOperatorGet("/shipments?orderId=" + UUID.randomUUID());
        assertThat(none.status()).isEqualTo(200);
        assertThat(none.body()).isEmpty();
    }

    @Test
    void shipmentsNeedOperatorCredentials() throws Exception {
        String path = "/shipments?orderId=" + UUID.randomUUID();
        Response anonymous = get(path, null, null);
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.body().get("status").asText()).isEqualTo("UNAUTHORIZED");
        assertThat(get(path, OPERATOR, "wrong").status()).isEqualTo(401);
        assertThat(get(path, "viewer", "viewer-dev-password").status()).isEqualTo(403);
        assertThat(get("/health", null, null).status()).isEqualTo(200);
        assertThat(get("/ready", null, null).status()).isEqualTo(200);
    }

    @Test
    void aMalformedOrMissingOrderIdIsAValidationError() throws Exception {
        Response bad = asOperatorGet("/shipments?orderId=not-a-uuid");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body().get("status").asText()).isEqualTo("REJECTED");
        assertThat(bad.body().get("reason").asText()).isEqualTo("VALIDATION_FAILED");
        assertThat(bad.body().get("errors").get(0).get("field").asText()).isEqualTo("orderId");

        Response missing = asOperatorGet("/shipments");
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.body().get("errors").get(0).get("field").asText()).isEqualTo("orderId");
    }

    @Test
    void aCarrierRateLimitIsRetriedAndThenSucceeds() throws Exception {
        UUID orderId = UUID.randomUUID();
        carrier.failTimes(2, CarrierStub.Mode.TOO_MANY_429);
        publish(orderConfirmed(orderId, UUID.randomUUID().toString()));

        awaitShipment(orderId);
        assertThat(carrier.callsFor(orderId)).as("two refusals, then booked on the third (last) attempt").isEqualTo(3);
        assertThat(deadLettersOf(orderId)).isEmpty();
    }
}
