package shop.platform.security;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Credentials come only from the environment (CONTRACT.md, Authentication); {@code customerPaths} are the
 * paths a service opens to customer JWTs - every other path but the probes is for operators.
 */
@ConfigurationProperties("shop.security")
public record SecurityProperties(
        String jwtSecret,
        String operatorUsername,
        String operatorPassword,
        String viewerUsername,
        String viewerPassword,
        List<String> customerPaths,
        Long clockSkewSeconds) {

    public SecurityProperties {
        customerPaths = customerPaths == null ? List.of() : customerPaths;
        clockSkewSeconds = clockSkewSeconds == null ? 30L : clockSkewSeconds;
    }
}
