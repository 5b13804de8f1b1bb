package shop.shipping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import shop.platform.testing.BrokerPolicies;
import shop.platform.testing.LocalBroker;
import shop.shipping.api.DeadLetterController;
import shop.shipping.config.ShippingTopology;
import shop.shipping.support.IntegrationRouteFiles;

/**
 * Issue 14 on quorum queues (RABBITMQ_QUEUE_TYPE=quorum, a vhost and database of its own): dead letters listed
 * 50 times are all still there - listing is a query of the message hospital, not a fetch-and-return that counts
 * toward the queue's delivery limit - and a replay moves each exactly once.
 */
@SpringBootTest(properties = {"shop.db.name=shipping_test_quorum_dlq", "shop.messaging.queue-type=quorum",
        "shop.deadletter.max-attempts=1", "shop.shipping.carrier-url=http://127.0.0.1:1", "shop.shipping.dlq-depth-cache-ms=0"})
class QuorumDeadLettersTest {

    static String vhost;

    @DynamicPropertySource
    static void broker(DynamicPropertyRegistry registry) {
        vhost = BrokerPolicies.freshVhost("quorum-dlq", true);
        registry.add("spring.rabbitmq.virtual-host", () -> vhost);
    }

    @AfterAll
    static void deleteVhost() {
        BrokerPolicies.deleteVhost(vhost);
    }

    @Autowired DeadLetterController dlq;
    @Autowired JdbcTemplate jdbc;

    @Test
    void deadLettersOnQuorumQueuesSurviveFiftyListingsAndAreReplayedOnce() throws Exception {
        jdbc.update("DELETE FROM dead_letters");   // the database outlives the run, the vhost does not
        try (Connection c = LocalBroker.factory(vhost).newConnection(); Channel ch = c.createChannel()) {
            // declared by the service as quorum queues, plain but for the type
            ch.queueDeclare(ShippingTopology.QUEUE, true, false, false, Map.of("x-queue-type", "quorum"));
            ch.queueDeclare(ShippingTopology.DLQ, true, false, false, Map.of("x-queue-type", "quorum"));
        }
        List<String> orders = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            UUID orderId = UUID.randomUUID();
            orders.add(orderId.toString());
            IntegrationRouteFiles.publishOrderConfirmed(vhost, orderId);   // the carrier is unreachable: dead letters
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> dlq.list().count() == 4);

        for (int i = 0; i < 50; i++) {
            var listing = dlq.list();
            assertThat(listing.count()).as("listing " + (i + 1)).isEqualTo(4);
            assertThat(listing.messages()).extracting(m -> m.orderId()).containsExactlyInAnyOrderElementsOf(orders);
        }

        assertThat(dlq.replay(null).replayed()).isEqualTo(4);
        assertThat(dlq.replay(null).replayed()).as("nothing left to replay").isEqualTo(0);
        // the carrier is still unreachable: each replay fails once more and its row waits again, replayed once
        await().atMost(Duration.ofSeconds(60)).until(() -> dlq.list().count() == 4);
        assertThat(jdbc.queryForList("SELECT replays FROM dead_letters", Integer.class)).containsOnly(1).hasSize(4);
    }
}
