package shop.platform.messaging;

import java.util.ArrayList;
import java.util.List;

import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.Declarable;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.core.DirectExchange;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.QueueBuilder;
import org.springframework.amqp.core.TopicExchange;

/**
 * The one way a service declares a queue it consumes: durable, of the configured type, with its own
 * dead-letter queue behind {@link Topology#DEAD_LETTERS}, bound to an exchange by routing keys.
 */
public class QueueDeclarations {

    private final MessagingProperties properties;

    public QueueDeclarations(MessagingProperties properties) {
        this.properties = properties;
    }

    /**
     * Queue bound to the events topic exchange for the given event types (patterns allowed). Its dead-letter
     * queue is unbounded: operators replay what is in it.
     */
    public Declarables eventQueue(String queue, String... eventTypes) {
        return declare(queue, new TopicExchange(Topology.EVENTS), false, eventTypes);
    }

    /**
     * Queue bound to the commands exchange for the given command types. Its dead-letter queue parks expired
     * and rejected commands for inspection only (their callers have long given up), so it is bounded.
     */
    public Declarables commandQueue(String queue, String... commandTypes) {
        return declare(queue, new DirectExchange(Topology.COMMANDS), true, commandTypes);
    }

    /**
     * A queue nothing consumes keeps the newest {@link Topology#PARKING_QUEUE_MAX_LENGTH} messages. A broker
     * that already holds it unbounded (declared by an earlier version) keeps it so: arguments cannot change in
     * place, and a parking queue is not worth failing the service for. The admin logs a warning instead;
     * docs/deployment.md says how to bound it (delete it once).
     */
    static Queue parking(QueueBuilder builder) {
        Queue queue = builder.maxLength(Topology.PARKING_QUEUE_MAX_LENGTH).overflow(QueueBuilder.Overflow.dropHead).build();
        queue.setIgnoreDeclarationExceptions(true);
        return queue;
    }

    private Declarables declare(String name, org.springframework.amqp.core.Exchange exchange, boolean parkDeadLetters,
                                String... keys) {
        List<Declarable> all = new ArrayList<>();
        Queue queue = queue(name)
                .deadLetterExchange(Topology.DEAD_LETTERS)
                .deadLetterRoutingKey(name)
                .build();
        QueueBuilder dlqBuilder = queue(Topology.deadLetterQueue(name));
        Queue dlq = parkDeadLetters ? parking(dlqBuilder) : dlqBuilder.build();
        all.add(queue);
        all.add(dlq);
        all.add(BindingBuilder.bind(dlq).to(new DirectExchange(Topology.DEAD_LETTERS)).with(name));
        for (String key : keys) {
            all.add(new Binding(name, Binding.DestinationType.QUEUE, exchange.getName(), key, null));
        }
        return new Declarables(all);
    }

    private QueueBuilder queue(String name) {
        QueueBuilder builder = QueueBuilder.durable(name);
        if (properties.quorum()) {
            builder.quorum().deliveryLimit(properties.deliveryLimit());
        }
        return builder;
    }
}
