package shop.platform.routes;

import java.nio.file.Path;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import shop.platform.messaging.QueueDeclarations;

/**
 * Route files as the way to add an integration (docs/integrations.md): the platform's route templates,
 * the beans they use, and - when {@code ROUTES_DIR} is set ({@code shop.routes.dir}, PlatformEnvironment) -
 * the watcher that loads that folder.
 */
@Configuration(proxyBeanMethods = false)
public class RoutesConfiguration {

    @Bean
    PlatformRouteTemplates platformRouteTemplates() {
        return new PlatformRouteTemplates();
    }

    /** Route policy of template shop-event-subscription: declares the subscription's queue, DLQ and binding. */
    @Bean
    EventSubscriptions eventSubscription(CamelContext camel, QueueDeclarations declarations, AmqpAdmin admin) {
        return new EventSubscriptions(camel, declarations, admin);
    }

    @Bean
    IntegrationMessages integrationMessages() {
        return new IntegrationMessages();
    }

    @Bean(destroyMethod = "stop")
    @ConditionalOnProperty("shop.routes.dir")
    RoutesDirectory routesDirectory(CamelContext camel, Environment env, MeterRegistry meters) {
        return new RoutesDirectory(camel, Path.of(env.getRequiredProperty("shop.routes.dir")),
                env.getProperty("shop.routes.poll-interval-ms", Long.class, 1000L), meters);
    }
}
