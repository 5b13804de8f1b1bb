package shop.order.config;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The circuit breakers the saga's participant calls refer to by name (routes/order-service/commands.yaml). */
@Configuration(proxyBeanMethods = false)
public class SagaConfiguration {

    @Bean
    CircuitBreaker inventoryBreaker(CircuitBreakerRegistry registry) {
        return registry.circuitBreaker("inventory");
    }

    @Bean
    CircuitBreaker paymentBreaker(CircuitBreakerRegistry registry) {
        return registry.circuitBreaker("payment");
    }
}
