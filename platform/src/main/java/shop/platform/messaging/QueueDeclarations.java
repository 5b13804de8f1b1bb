package shop.platform.messaging;

import java.util.ArrayList;
import java.util.List;

import org.springframework.amqp.core.AbstractDeclarable;
import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.Declarable;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.core.DirectExchange;
import org.springframework.amqp.core.Exchange;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.QueueBuilder;
import org.springframework.amqp.core.TopicExchange;

/**
 * The one way a service declares a queue it consumes: plain and durable, of the configured type, with its
 * own dead-letter queue bound to {@link Topology#DEAD_LETTERS}, bound to an exchange by routing keys.
 *
 * <p>No optional arguments (docs/adr/0005, 0013): dead-lettering, delivery limits and length limits come
 * from the broker's policies ({@code config/rabbitmq/definitions.json}), so every declaration of a name is
 * equivalent to every other, also one written the ordinary way in a route file. Only the queue type is an
 * argument ({@code x-queue-type}): RabbitMQ 3.10-3.13 cannot set it by policy.
 *
 * <p>Every declarable ignores a declaration the broker refuses as inequivalent: a broker that still holds
 * a queue or exchange with the arguments of an earlier version keeps it, with the same behaviour, and the
 * service declares the rest (docs/deployment.md, migration).
 */
public class QueueDeclarations {

    private final MessagingProperties properties;

    public QueueDeclarations(MessagingProperties properties) {
        this.properties = properties;
    }

    /** Queue bound to the events topic exchange for the given event types (patterns allowed). */
    public Declarables eventQueue(String queue, String... eventTypes) {
        return declare(queue, new TopicExchange(Topology.EVENTS), eventTypes);
    }

    /**
     * Queue bound to the commands exchange for the given command types. Its name ends with
     * {@link Topology#COMMAND_QUEUE_SUFFIX}: the policy that bounds the commands' dead-letter queues (expired
     * and rejected commands, kept for inspection only) goes by it.
     */
    public Declarables commandQueue(String queue, String... commandTypes) {
        if (!queue.endsWith(Topology.COMMAND_QUEUE_SUFFIX)) {
            throw new IllegalArgumentException("a command queue's name ends with " + Topology.COMMAND_QUEUE_SUFFIX + ": " + queue);
        }
        return declare(queue, new DirectExchange(Topology.COMMANDS), commandTypes);
    }

    /** A declarable that a broker holding an inequivalent version of it does not fail the service for. */
    static <T extends AbstractDeclarable> T tolerant(T declarable) {
        declarable.setIgnoreDeclarationExceptions(true);
        return declarable;
    }

    private Declarables declare(String name, Exchange exchange, String... keys) {
        List<Declarable> all = new ArrayList<>();
        Queue queue = tolerant(queue(name).build());
        Queue dlq = tolerant(queue(Topology.deadLetterQueue(name)).build());
        all.add(queue);
        all.add(dlq);
        all.add(tolerant(BindingBuilder.bind(dlq).to(new DirectExchange(Topology.DEAD_LETTERS)).with(name)));
        for (String key : keys) {
            all.add(tolerant(new Binding(name, Binding.DestinationType.QUEUE, exchange.getName(), key, null)));
        }
        return new Declarables(all);
    }

    private QueueBuilder queue(String name) {
        QueueBuilder builder = QueueBuilder.durable(name);
        if (properties.quorum()) {
            builder.quorum();
        }
        return builder;
    }
}
