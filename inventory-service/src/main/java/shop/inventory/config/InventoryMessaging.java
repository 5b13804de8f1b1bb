package shop.inventory.config;

import org.springframework.amqp.core.Declarables;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import shop.contracts.inventory.ConfirmReservation;
import shop.contracts.inventory.GetReservation;
import shop.contracts.inventory.ReleaseReservation;
import shop.contracts.inventory.ReserveStock;
import shop.platform.messaging.QueueDeclarations;

/**
 * The queue this service consumes (docs/messaging.md): {@code inventory.commands} and its dead-letter queue, bound
 * to {@code shop.commands} by the types of the inventory commands ({@code shop.contracts.inventory}).
 */
@Configuration(proxyBeanMethods = false)
public class InventoryMessaging {

    public static final String COMMAND_QUEUE = "inventory.commands";

    @Bean
    Declarables inventoryCommandQueue(QueueDeclarations queues) {
        return queues.commandQueue(COMMAND_QUEUE, ReserveStock.TYPE, ReleaseReservation.TYPE, ConfirmReservation.TYPE,
                GetReservation.TYPE);
    }
}
