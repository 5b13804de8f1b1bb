package shop.payment.config;

import org.springframework.amqp.core.Declarables;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import shop.platform.messaging.QueueDeclarations;

/** The queue this service consumes (docs/messaging.md): {@code payment.commands} and its dead-letter queue. */
@Configuration(proxyBeanMethods = false)
public class PaymentMessagingConfiguration {

    public static final String COMMAND_QUEUE = "payment.commands";
    public static final String CHARGE = "payment.charge";
    public static final String REFUND = "payment.refund";
    public static final String STATUS = "payment.status";

    @Bean
    Declarables paymentCommandQueue(QueueDeclarations queues) {
        return queues.commandQueue(COMMAND_QUEUE, CHARGE, REFUND, STATUS);
    }
}
