package shop.platform.security;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;
import org.springframework.core.io.support.SpringFactoriesLoader;

/**
 * Refuses to start under the {@code prod} profile while a secret is unset or still a development value, or
 * while a service's own {@link ProductionCheck} (from {@code META-INF/spring.factories}) finds a problem - the
 * payment service's simulator, for one; without a profile it warns once about every development default in
 * use. Runs before any bean that would connect anywhere.
 */
public class ProductionSecretsGuard implements BeanFactoryPostProcessor {

    private static final Logger log = LoggerFactory.getLogger(ProductionSecretsGuard.class);

    /** Values documented in the README for development, and other well-known defaults. */
    static final Set<String> DEVELOPMENT_VALUES = Set.of(
            "dev-only-jwt-secret-change-me-0123456789abcdef", "operator-dev-password", "viewer-dev-password",
            "guest", "postgres", "password", "changeme", "secret", "admin");

    static final List<String> SECRETS = List.of(
            "AUTH_JWT_SECRET", "OPERATOR_PASSWORD", "VIEWER_PASSWORD", "POSTGRES_PASSWORD", "RABBITMQ_PASSWORD");

    private final Environment env;

    public ProductionSecretsGuard(Environment env) {
        this.env = env;
    }

    @Override
    public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
        List<String> problems = new ArrayList<>();
        for (String name : SECRETS) {
            String value = env.getProperty(name);
            if (value == null || value.isBlank()) {
                problems.add(name + " is not set");
            } else if (DEVELOPMENT_VALUES.contains(value)) {
                problems.add(name + " is a development value");
            } else if (name.equals("AUTH_JWT_SECRET") && value.getBytes(StandardCharsets.UTF_8).length < 32) {
                problems.add(name + " is shorter than 32 bytes");
            }
        }
        for (ProductionCheck check : SpringFactoriesLoader.loadFactories(ProductionCheck.class, beanFactory.getBeanClassLoader())) {
            problems.addAll(check.problems(env));
        }
        if (problems.isEmpty()) {
            return;
        }
        if (env.acceptsProfiles(Profiles.of("prod"))) {
            String message = "refusing to start with profile 'prod': " + String.join("; ", problems);
            log.error(message);
            throw new IllegalStateException(message);
        }
        log.warn("development defaults in use (not allowed with SPRING_PROFILES_ACTIVE=prod): {}", String.join("; ", problems));
    }
}
