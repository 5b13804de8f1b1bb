package shop.platform.messaging;

import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.core.DirectExchange;
import org.springframework.amqp.core.ExchangeBuilder;
import org.springframework.amqp.core.FanoutExchange;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.QueueBuilder;
import org.springframework.amqp.core.BindingBuilder;

/** Exchanges every service relies on; declaring them is idempotent, so each service does. */
public final class SharedTopology {

    public static Declarables declarables() {
        FanoutExchange unroutable = new FanoutExchange(Topology.UNROUTABLE, true, false);
        Queue unroutableQueue = QueueDeclarations.parking(QueueBuilder.durable(Topology.UNROUTABLE));
        return new Declarables(
                ExchangeBuilder.topicExchange(Topology.EVENTS).durable(true)
                        .alternate(Topology.UNROUTABLE).build(),
                new DirectExchange(Topology.COMMANDS, true, false),
                new DirectExchange(Topology.DEAD_LETTERS, true, false),
                unroutable,
                unroutableQueue,
                BindingBuilder.bind(unroutableQueue).to(unroutable));
    }

    private SharedTopology() {
    }
}
