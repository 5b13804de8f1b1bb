package shop.platform.messaging;

import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.core.DirectExchange;
import org.springframework.amqp.core.FanoutExchange;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.QueueBuilder;
import org.springframework.amqp.core.TopicExchange;

import static shop.platform.messaging.QueueDeclarations.tolerant;

/**
 * Exchanges and queues every service relies on; declaring them is idempotent, so each service does. All
 * plain: the alternate exchange of {@link Topology#EVENTS} and the bound of {@link Topology#UNROUTABLE} are
 * policies (config/rabbitmq/definitions.json), so a route file that declares {@code shop.events} as an
 * ordinary durable topic exchange declares the same thing.
 */
public final class SharedTopology {

    public static Declarables declarables() {
        FanoutExchange unroutable = tolerant(new FanoutExchange(Topology.UNROUTABLE, true, false));
        DirectExchange deadLetters = tolerant(new DirectExchange(Topology.DEAD_LETTERS, true, false));
        // classic whatever the queue type: nothing consumes them, the parking policy bounds shop.unroutable
        Queue unroutableQueue = tolerant(QueueBuilder.durable(Topology.UNROUTABLE).build());
        Queue unsorted = tolerant(QueueBuilder.durable(Topology.UNSORTED_DEAD_LETTERS).build());
        return new Declarables(
                tolerant(new TopicExchange(Topology.EVENTS, true, false)),
                tolerant(new DirectExchange(Topology.COMMANDS, true, false)),
                deadLetters,
                unroutable,
                unroutableQueue,
                tolerant(BindingBuilder.bind(unroutableQueue).to(unroutable)),
                unsorted,
                tolerant(BindingBuilder.bind(unsorted).to(deadLetters).with(Topology.UNSORTED_DEAD_LETTERS)));
    }

    private SharedTopology() {
    }
}
