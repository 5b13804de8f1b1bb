package shop.platform.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.core.Exchange;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.QueueBuilder;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.context.support.GenericApplicationContext;

import shop.platform.testing.BrokerPolicies;

/**
 * Queues nothing consumes (the commands' dead-letter queues, shop.unroutable) are bounded by policy
 * shop-parking, against the real broker with the policies of config/rabbitmq/definitions.json: they keep the
 * newest messages and drop the oldest, while the dead-letter queue of an event queue keeps everything. A
 * broker that still holds such a queue with the arguments of an earlier version does not stop a service from
 * declaring the rest of its topology.
 */
class ParkingQueuesTest {

    private final CachingConnectionFactory connections = new CachingConnectionFactory("127.0.0.1", 5672);
    private final RabbitAdmin admin = new RabbitAdmin(connections);
    private final RabbitTemplate rabbit = new RabbitTemplate(connections);
    private final QueueDeclarations declarations = new QueueDeclarations(new MessagingProperties("classic"));
    private final String queue = "parking-test-" + UUID.randomUUID() + Topology.COMMAND_QUEUE_SUFFIX;

    ParkingQueuesTest() {
        connections.setVirtualHost(BrokerPolicies.vhost());
    }

    @BeforeAll
    static void policies() {
        BrokerPolicies.apply();
    }

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
        String eventQueue = "parking-test-" + UUID.randomUUID() + ".events";
        try {
            declare(declarations.eventQueue(eventQueue, eventQueue + ".test-event"));
            String dlq = Topology.deadLetterQueue(eventQueue);
            for (int i = 1; i <= Topology.PARKING_QUEUE_MAX_LENGTH + 5; i++) {
                rabbit.send("", dlq, new Message(("m" + i).getBytes(StandardCharsets.UTF_8)));
            }
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(depth(dlq)).isEqualTo(Topology.PARKING_QUEUE_MAX_LENGTH + 5));
        } finally {
            admin.deleteQueue(eventQueue);
            admin.deleteQueue(Topology.deadLetterQueue(eventQueue));
        }
    }

    @Test
    void declarationsCarryNoOptionalArgumentsOnlyTheQueueType() {
        QueueDeclarations quorum = new QueueDeclarations(new MessagingProperties("quorum"));
        for (Declarables declarables : new Declarables[] {SharedTopology.declarables(), declarations.commandQueue(queue, "x"),
                declarations.eventQueue("q", "e"), quorum.commandQueue(queue, "x"), quorum.eventQueue("q", "e")}) {
            declarables.getDeclarables().forEach(d -> {
                if (d instanceof Queue q) {
                    assertThat(q.getArguments()).as(q.getName()).isIn(Map.of(), Map.of("x-queue-type", "quorum"));
                    assertThat(q.isDurable()).isTrue();
                } else if (d instanceof Exchange x) {
                    assertThat(x.getArguments()).as(x.getName()).isEmpty();
                }
                assertThat(d.isIgnoreDeclarationExceptions()).as(d + " tolerates an earlier version").isTrue();
            });
        }
    }

    @Test
    void queuesLeftWithTheArgumentsOfAnEarlierVersionDoNotStopTheRestOfTheDeclarations() {
        String dlq = Topology.deadLetterQueue(queue);
        admin.declareQueue(QueueBuilder.durable(queue).deadLetterExchange(Topology.DEAD_LETTERS).deadLetterRoutingKey(queue).build());
        admin.declareQueue(QueueBuilder.durable(dlq).maxLength(Topology.PARKING_QUEUE_MAX_LENGTH).overflow(QueueBuilder.Overflow.dropHead).build());

        declare(declarations.commandQueue(queue, queue + ".test-command"));

        assertThat(admin.getQueueProperties(queue)).as("the old command queue is kept").isNotNull();
        assertThat(admin.getQueueInfo(dlq)).as("the old dead-letter queue is kept").isNotNull();
        // the binding after the refused declarations was declared: a command reaches the old queue
        rabbit.convertAndSend(Topology.COMMANDS, queue + ".test-command", "hello");
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(depth(queue)).isEqualTo(1));
    }

    @Test
    void aMessageTheBrokerDeadLettersGoesToTheDeadLetterQueueOfAQueueThatHasItsOwnPolicy() {
        // inventory.commands has policy shop-work-inventory.commands: dead letters to shop.dlx with its own name
        String own = "inventory.commands";
        declare(declarations.commandQueue(own, "inventory.reserve"));
        String id = UUID.randomUUID().toString();
        Message expired = MessageBuilder.withBody("expired".getBytes(StandardCharsets.UTF_8))
                .setMessageId(id).setExpiration("0").build();
        rabbit.send("", own, expired);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(receiveById(Topology.deadLetterQueue(own), id))
                .as("dead-lettered by the broker (expired) into inventory.commands.dlq").isTrue());
    }

    @Test
    void aQueueWithoutAPolicyOfItsOwnDeadLettersIntoTheSharedUnsortedQueue() {
        declare(declarations.commandQueue(queue, queue + ".test-command"));
        String id = UUID.randomUUID().toString();
        rabbit.send("", queue, MessageBuilder.withBody("x".getBytes(StandardCharsets.UTF_8))
                .setMessageId(id).setExpiration("0").build());

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(receiveById(Topology.UNSORTED_DEAD_LETTERS, id))
                .as("policy shop-work-queues: into " + Topology.UNSORTED_DEAD_LETTERS).isTrue());
    }

    /** Takes the message with this id off the queue; every other one it looked at goes back. */
    private boolean receiveById(String name, String id) {
        return Boolean.TRUE.equals(rabbit.execute(channel -> {
            List<Long> others = new ArrayList<>();
            boolean found = false;
            for (var response = channel.basicGet(name, false); response != null && !found; ) {
                long tag = response.getEnvelope().getDeliveryTag();
                if (id.equals(response.getProps().getMessageId())) {
                    channel.basicAck(tag, false);
                    found = true;
                } else {
                    others.add(tag);
                    response = channel.basicGet(name, false);
                }
            }
            for (long tag : others) {
                channel.basicNack(tag, false, true);
            }
            return found;
        }));
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
