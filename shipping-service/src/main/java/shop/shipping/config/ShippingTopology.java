package shop.shipping.config;

import org.springframework.amqp.core.Declarables;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import shop.platform.messaging.QueueDeclarations;
import shop.platform.messaging.Topology;

/**
 * The one queue shipping-service consumes (docs/messaging.md): {@code shipping.order-confirmed} bound to
 * {@code shop.events} for {@code order.confirmed}, and its dead-letter queue
 * {@code shipping.order-confirmed.dlq} behind {@code shop.dlx}. Declared when the first broker
 * connection opens, before any route consumes.
 */
@Configuration(proxyBeanMethods = false)
public class ShippingTopology {

    public static final String QUEUE = "shipping.order-confirmed";
    public static final String DLQ = Topology.deadLetterQueue(QUEUE);
    public static final String ORDER_CONFIRMED = "order.confirmed";
    public static final String SHIPMENT_CREATED = "shipment.created";

    @Bean
    Declarables shippingQueues(QueueDeclarations queues) {
        return queues.eventQueue(QUEUE, ORDER_CONFIRMED);
    }
}
