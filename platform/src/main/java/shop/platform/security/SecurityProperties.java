package shop.platform.security;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Credentials come only from the environment (CONTRACT.md, Authentication); {@code customerPaths} are the
 * paths a service opens to customer JWTs - every other path but the public ones is for operators, where a caller
 * gets {@code loginFailureLimit} failed logins per {@code loginFailureWindowSeconds} before it is throttled;
 * {@code jwtCacheSize} accepted customer tokens are remembered until they expire ({@link CachingJwtDecoder}).
 */
@ConfigurationProperties("shop.security")
public record SecurityProperties(
        String jwtSecret,
        String operatorUsername,
        String operatorPassword,
        String viewerUsername,
        String viewerPassword,
        List<String> customerPaths,
        Long clockSkewSeconds,
        Integer loginFailureLimit,
        Long loginFailureWindowSeconds,
        Integer jwtCacheSize) {

    public SecurityProperties {
        customerPaths = customerPaths == null ? List.of() : customerPaths;
        clockSkewSeconds = clockSkewSeconds == null ? 30L : clockSkewSeconds;
        loginFailureLimit = loginFailureLimit == null ? 10 : loginFailureLimit;
        loginFailureWindowSeconds = loginFailureWindowSeconds == null ? 60L : loginFailureWindowSeconds;
        jwtCacheSize = jwtCacheSize == null ? 4096 : jwtCacheSize;
        if (jwtCacheSize < 0) {
            throw new IllegalArgumentException("AUTH_JWT_CACHE_SIZE must be 0 (no cache) or more");
        }
        if (loginFailureLimit < 1 || loginFailureWindowSeconds < 1) {
            throw new IllegalArgumentException("AUTH_FAILURE_LIMIT and AUTH_FAILURE_WINDOW_SECONDS must be at least 1");
        }
    }
}
