package shop.platform.security;

import java.util.List;

import org.springframework.core.env.Environment;

/**
 * A service's own start-up requirements for the {@code prod} profile, judged by {@link ProductionSecretsGuard}
 * together with the platform's secrets (one mechanism, one log line). Registered in the service's
 * {@code META-INF/spring.factories} under this interface's name, because the guard runs before any bean exists.
 */
public interface ProductionCheck {

    /** What is not fit for production, one short sentence each naming the variable; never a secret's value. */
    List<String> problems(Environment env);
}
