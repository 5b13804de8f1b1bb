package shop.inventory.config;

import org.springframework.amqp.core.Declarables;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import shop.platform.messaging.QueueDeclarations;

/** The queue this service consumes (docs/messaging.md): {@code inventory.commands} and its dead-letter queue. */
@Configuration(proxyBeanMethods = false)
public class InventoryMessaging {

    public static final String COMMAND_QUEUE = "inventory.commands";
    public static final String RESERVE = "inventory.reserve";
    public static final String RELEASE = "inventory.release";
    public static final String CONFIRM = "inventory.confirm";
    public static final String STATUS = "inventory.status";

    @Bean
    Declarables inventoryCommandQueue(QueueDeclarations queues) {
        return queues.commandQueue(COMMAND_QUEUE, RESERVE, RELEASE, CONFIRM, STATUS);
    }
}
