package shop.shipping.dlq;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.rabbitmq.client.AMQP;
import org.junit.jupiter.api.Test;

class ShippingDeadLetterQueueTest {

    @Test
    void aReplayedMessageKeepsItsIdentityButNotItsFailure() {
        Map<String, Object> headers = new HashMap<>();
        headers.put("traceparent", "00-abc-def-01");
        headers.put("x-failure-reason", "CarrierUnavailableException: HTTP 503");
        headers.put("x-failed-route", "shipping-order-confirmed");
        headers.put("x-attempts", 5);
        headers.put("x-failed-at", "2025-01-01T00:00:00Z");
        headers.put("x-original-queue", "shipping.order-confirmed");
        headers.put("x-death", List.of(Map.of("reason", "rejected", "count", 1L)));
        headers.put("x-first-death-reason", "rejected");
        headers.put("x-first-death-queue", "shipping.order-confirmed");
        headers.put("x-first-death-exchange", "");
        headers.put("x-last-death-reason", "rejected");
        headers.put("x-custom", "kept");
        AMQP.BasicProperties original = new AMQP.BasicProperties.Builder()
                .contentType("application/json").messageId("m-1").deliveryMode(1).expiration("1000")
                .userId("guest").timestamp(new Date(0)).type("order.confirmed").headers(headers).build();

        headers.put("x-replayed-at", "2024-01-01T00:00:00Z");
        AMQP.BasicProperties replay = ShippingDeadLetterQueue.replayProperties(original, Instant.parse("2025-02-03T04:05:06Z"));

        assertThat(replay.getHeaders()).containsOnlyKeys("traceparent", "x-custom", "x-replayed-at");
        assertThat(replay.getHeaders().get("x-replayed-at")).isEqualTo("2025-02-03T04:05:06Z");
        assertThat(replay.getMessageId()).isEqualTo("m-1");
        assertThat(replay.getContentType()).isEqualTo("application/json");
        assertThat(replay.getType()).isEqualTo("order.confirmed");
        assertThat(replay.getTimestamp()).isEqualTo(new Date(0));
        assertThat(replay.getDeliveryMode()).as("persistent").isEqualTo(2);
        assertThat(replay.getExpiration()).as("would expire again").isNull();
        assertThat(replay.getUserId()).as("must match the replaying connection's user").isNull();
    }

    @Test
    void failureHeadersAreRecognised() {
        for (String name : List.of("x-failure-reason", "x-failed-route", "x-attempts", "x-failed-at", "x-original-queue",
                "x-death", "x-first-death-reason", "x-last-death-queue")) {
            assertThat(ShippingDeadLetterQueue.isFailureHeader(name)).as(name).isTrue();
        }
        for (String name : List.of("traceparent", "messageId", "x-custom", "x-deathly", "x-replayed-at")) {
            assertThat(ShippingDeadLetterQueue.isFailureHeader(name)).as(name).isFalse();
        }
    }
}
