package shop.platform.resilience;

import java.time.Duration;

import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The registry every circuit breaker comes from, so that each one reaches Prometheus as
 * {@code resilience4j_circuitbreaker_state{name,state}} (CAMEL-NOTES 17). A service creates its named
 * breakers from it and routes refer to them by bean name.
 */
@Configuration(proxyBeanMethods = false)
public class ResilienceConfiguration {

    @Bean
    CircuitBreakerRegistry circuitBreakerRegistry(BreakerProperties props, MeterRegistry meters) {
        CircuitBreakerConfig config = CircuitBreakerConfig.custom()
                .failureRateThreshold(props.failureRateThreshold())
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(props.slidingWindowSize())
                .minimumNumberOfCalls(props.minimumNumberOfCalls())
                .waitDurationInOpenState(Duration.ofSeconds(props.waitInOpenStateSeconds()))
                .permittedNumberOfCallsInHalfOpenState(props.permittedCallsInHalfOpenState())
                .automaticTransitionFromOpenToHalfOpenEnabled(true)
                .build();
        CircuitBreakerRegistry registry = CircuitBreakerRegistry.of(config);
        TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(registry).bindTo(meters);
        return registry;
    }
}
