package shop.order.saga;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The saga service behind the Saga EIP, and the circuit breakers the saga routes refer to by name. */
@Configuration(proxyBeanMethods = false)
public class SagaConfiguration {

    @Bean
    ForgetfulInMemorySagaService sagaService(@Value("${shop.saga.compensation-attempts}") int attempts,
                                             @Value("${shop.saga.compensation-retry-delay-ms}") long delay,
                                             @Value("${shop.saga.compensation-threads:8}") int threads) {
        ForgetfulInMemorySagaService service = new ForgetfulInMemorySagaService(threads);
        service.setMaxRetryAttempts(attempts);
        service.setRetryDelayInMilliseconds(delay);
        return service;
    }

    @Bean
    CircuitBreaker inventoryBreaker(CircuitBreakerRegistry registry) {
        return registry.circuitBreaker("inventory");
    }

    @Bean
    CircuitBreaker paymentBreaker(CircuitBreakerRegistry registry) {
        return registry.circuitBreaker("payment");
    }
}
