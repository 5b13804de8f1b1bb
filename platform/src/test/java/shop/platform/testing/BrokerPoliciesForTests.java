package shop.platform.testing;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Every Spring Boot test of a module that has the platform's test jar runs against a broker vhost that has
 * the policies of config/rabbitmq/definitions.json, as every deployment's broker does ({@link BrokerPolicies}).
 */
public class BrokerPoliciesForTests implements EnvironmentPostProcessor {

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment env, SpringApplication application) {
        String vhost = env.getProperty("spring.rabbitmq.virtual-host", env.getProperty("RABBITMQ_VHOST", "/"));
        BrokerPolicies.apply(vhost.isBlank() ? "/" : vhost);
    }
}
