package shop.platform.routes;

import java.nio.file.Path;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/** The ROUTES_DIR watcher when {@code shop.routes.dir} is set, and on every service {@code POST /admin/routes/check}. */
@Configuration(proxyBeanMethods = false)
public class RoutesConfiguration {

    @Bean(destroyMethod = "stop")
    @ConditionalOnProperty("shop.routes.dir")
    RoutesDirectory routesDirectory(CamelContext camel, Environment env, MeterRegistry meters) {
        return new RoutesDirectory(camel, Path.of(env.getRequiredProperty("shop.routes.dir")),
                env.getProperty("shop.routes.poll-interval-ms", Long.class, 1000L), meters);
    }

    @Bean
    RouteCheckController routeCheckController(CamelContext camel, ObjectProvider<RoutesDirectory> routesDirectory) {
        return new RouteCheckController(camel, routesDirectory.getIfAvailable());
    }
}
