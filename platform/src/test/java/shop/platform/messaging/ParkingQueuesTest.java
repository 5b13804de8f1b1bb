package shop.platform.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.QueueBuilder;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.context.support.GenericApplicationContext;

/**
 * Queues nothing consumes (the commands' dead-letter queues, shop.unroutable) are bounded, against the real
 * broker: they keep the newest messages and drop the oldest, while the dead-letter queue of an event queue,
 * which operators replay, keeps everything. A broker that still holds such a queue unbounded does not stop
 * a service from declaring the rest of its topology.
 */
class ParkingQueuesTest {

    private final CachingConnectionFactory connections = new CachingConnectionFactory("127.0.0.1", 5672);
    private final RabbitAdmin admin = new RabbitAdmin(connections);
    private final RabbitTemplate rabbit = new RabbitTemplate(connections);
    private final QueueDeclarations declarations = new QueueDeclarations(new MessagingProperties("classic", null));
    private final String queue = "parking-test-" + UUID.randomUUID();

    @AfterEach
    void deleteQueues() {
        admin.deleteQueue(queue);
        admin.deleteQueue(Topology.deadLetterQueue(queue));
        connections.destroy();
    }

    @Test
    void aCommandsDeadLetterQueueKeepsTheNewestMessagesOnly() {
        declare(declarations.commandQueue(queue, queue + ".test-command"));
        String dlq = Topology.deadLetterQueue(queue);
        int overflow = 5;
        for (int i = 1; i <= Topology.PARKING_QUEUE_MAX_LENGTH + overflow; i++) {
            rabbit.send("", dlq, new Message(("m" + i).getBytes(StandardCharsets.UTF_8)));
        }

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(depth(dlq)).isEqualTo(Topology.PARKING_QUEUE_MAX_LENGTH));
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(depth(dlq)).as("no more than the bound").isEqualTo(Topology.PARKING_QUEUE_MAX_LENGTH));
        assertThat(new String(rabbit.receive(dlq).getBody(), StandardCharsets.UTF_8))
                .as("the oldest were dropped").isEqualTo("m" + (overflow + 1));
    }

    @Test
    void anEventsDeadLetterQueueIsNotBoundedOperatorsReplayIt() {
        Queue declared = (Queue) declarations.eventQueue(queue, queue + ".test-event").getDeclarables().stream()
                .filter(d -> d instanceof Queue q && q.getName().equals(Topology.deadLetterQueue(queue)))
                .findFirst().orElseThrow();

        assertThat(declared.getArguments()).doesNotContainKeys("x-max-length", "x-overflow");
    }

    @Test
    void anUnboundedParkingQueueLeftByAnEarlierVersionDoesNotStopTheRestOfTheDeclarations() {
        admin.declareQueue(QueueBuilder.durable(Topology.deadLetterQueue(queue)).build());

        declare(declarations.commandQueue(queue, queue + ".test-command"));

        assertThat(admin.getQueueInfo(queue)).as("the command queue itself was declared").isNotNull();
        assertThat(admin.getQueueInfo(Topology.deadLetterQueue(queue))).as("the old dead-letter queue is kept").isNotNull();
    }

    /** As a service does at startup: the admin declares every Declarables bean when it connects. */
    private void declare(Declarables declarables) {
        try (GenericApplicationContext context = new GenericApplicationContext()) {
            context.registerBean("shared", Declarables.class, SharedTopology::declarables);
            context.registerBean("declarables", Declarables.class, () -> declarables);
            context.refresh();
            RabbitAdmin startupAdmin = new RabbitAdmin(connections);
            startupAdmin.setApplicationContext(context);
            startupAdmin.afterPropertiesSet();
            startupAdmin.initialize();
        }
    }

    private long depth(String name) {
        return admin.getQueueInfo(name).getMessageCount();
    }
}
