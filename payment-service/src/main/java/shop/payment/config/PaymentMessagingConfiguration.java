package shop.payment.config;

import org.springframework.amqp.core.Declarables;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import shop.contracts.payment.ChargePayment;
import shop.contracts.payment.GetPayment;
import shop.contracts.payment.RefundPayment;
import shop.platform.messaging.QueueDeclarations;

/**
 * The queue this service consumes (docs/messaging.md): {@code payment.commands} and its dead-letter queue, bound
 * to {@code shop.commands} by the types of the payment commands ({@code shop.contracts.payment}).
 */
@Configuration(proxyBeanMethods = false)
public class PaymentMessagingConfiguration {

    public static final String COMMAND_QUEUE = "payment.commands";

    @Bean
    Declarables paymentCommandQueue(QueueDeclarations queues) {
        return queues.commandQueue(COMMAND_QUEUE, ChargePayment.TYPE, RefundPayment.TYPE, GetPayment.TYPE);
    }
}
