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

    /** Queue bound to the events topic exchange for the given event types (patterns allowed). */
    public Declarables eventQueue(String queue, String... eventTypes) {
        return declare(queue, new TopicExchange(Topology.EVENTS), eventTypes);
    }

    /** Queue bound to the commands exchange for the given command types. */
    public Declarables commandQueue(String queue, String... commandTypes) {
        return declare(queue, new DirectExchange(Topology.COMMANDS), commandTypes);
    }

    private Declarables declare(String name, org.springframework.amqp.core.Exchange exchange, String... keys) {
        List<Declarable> all = new ArrayList<>();
        Queue queue = queue(name)
                .deadLetterExchange(Topology.DEAD_LETTERS)
                .deadLetterRoutingKey(name)
                .build();
        Queue dlq = queue(Topology.deadLetterQueue(name)).build();
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
