package shop.platform.integrations;

import org.apache.camel.CamelContext;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;

import shop.platform.inbox.InboxTransactionPolicy;
import shop.platform.messaging.MessageChecks;
import shop.platform.messaging.QueueDeclarations;

/**
 * What route files build event subscriptions and integrations with (docs/integrations.md): the platform's route
 * templates and the beans they and the files use - the services' own consumers of events use them too
 * (shipping-service's order.confirmed). Loading and checking the files is {@code shop.platform.routes}.
 */
@Configuration(proxyBeanMethods = false)
public class IntegrationsConfiguration {

    @Bean
    PlatformRouteTemplates platformRouteTemplates() {
        return new PlatformRouteTemplates();
    }

    /** Route policy of template shop-event-subscription: declares the subscription's queue, DLQ and binding. */
    @Bean
    EventSubscriptions eventSubscriptions(CamelContext camel, QueueDeclarations declarations, AmqpAdmin admin,
                                          MessageChecks messageChecks) {
        return new EventSubscriptions(camel, declarations, admin, messageChecks);
    }

    /** The {@code transacted} policy of route shop-integration-inbox (see {@link InboxTransactionPolicy} for why). */
    @Bean
    InboxTransactionPolicy inboxTransactionPolicy(PlatformTransactionManager transactionManager) {
        return new InboxTransactionPolicy(transactionManager);
    }

    @Bean
    IntegrationMessages integrationMessages() {
        return new IntegrationMessages();
    }
}
