package shop.shipping.config;

import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.rabbit.config.RetryInterceptorBuilder;
import org.springframework.amqp.rabbit.retry.ImmediateRequeueMessageRecoverer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.retry.interceptor.RetryOperationsInterceptor;

import shop.contracts.order.OrderConfirmed;
import shop.platform.messaging.QueueDeclarations;
import shop.platform.messaging.Topology;

/**
 * The one queue shipping-service consumes (docs/messaging.md): {@code shipping.order-confirmed} bound to
 * {@code shop.events} for {@code order.confirmed}, and its dead-letter queue
 * {@code shipping.order-confirmed.dlq} behind {@code shop.dlx}, which route shipments-dlq-intake empties into
 * the message hospital (table dead_letters). Declared when the first broker
 * connection opens, before any route consumes; route shipping-order-confirmed (template shop-event-subscription)
 * declares the same queue, DLQ and binding again when it is created (bean eventSubscriptions), with the same
 * {@link QueueDeclarations}.
 */
@Configuration(proxyBeanMethods = false)
public class ShippingTopology {

    public static final String QUEUE = "shipping.order-confirmed";
    public static final String DLQ = Topology.deadLetterQueue(QUEUE);

    @Bean
    Declarables shippingQueues(QueueDeclarations queues) {
        return queues.eventQueue(QUEUE, OrderConfirmed.TYPE);
    }

    /**
     * Listener retry of route shipments-dlq-intake: a dead letter it could not take in goes back into the DLQ
     * (requeued). Without it, camel-spring-rabbitmq's listener either drops the message after a failure
     * ("Message(s) dropped on recovery", rejectAndDontRequeue=false) or rejects it (rejectAndDontRequeue=true),
     * and a rejected dead letter has nowhere to go: both lose it.
     */
    @Bean
    RetryOperationsInterceptor dlqIntakeRetry() {
        return RetryInterceptorBuilder.stateless().maxAttempts(1).recoverer(new ImmediateRequeueMessageRecoverer()).build();
    }
}
