package shop.platform.tracing;

import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Tracer;
import org.apache.camel.CamelContext;
import org.apache.camel.observation.MicrometerObservationTracer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Camel's routes traced by the same Micrometer Tracing (OpenTelemetry) as Spring's HTTP layer, so one
 * order keeps one trace across HTTP, routes and RabbitMQ. camel-observation-starter backs off whenever
 * Spring Boot's own tracing auto-configuration is present, so the tracer is set up here.
 */
@Configuration(proxyBeanMethods = false)
public class TracingConfiguration {

    @Bean(destroyMethod = "")
    MicrometerObservationTracer camelObservationTracer(CamelContext camel, ObjectProvider<Tracer> tracer,
                                                       ObjectProvider<ObservationRegistry> registry, Environment env) {
        MicrometerObservationTracer observation = new MicrometerObservationTracer();
        tracer.ifAvailable(observation::setTracer);
        registry.ifAvailable(observation::setObservationRegistry);
        String exclude = env.getProperty("camel.observation.exclude-patterns");
        if (exclude != null && !exclude.isBlank()) {
            observation.setExcludePatterns(exclude);
        }
        observation.init(camel);
        return observation;
    }
}
