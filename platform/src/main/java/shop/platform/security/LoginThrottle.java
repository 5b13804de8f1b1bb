package shop.platform.security;

import java.time.Duration;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.internal.AtomicRateLimiter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Failed operator logins per caller (remote address): each failure takes a permit from the caller's Resilience4j
 * rate limiter ({@code limit} per {@code window}); a caller without permits left is refused before its password
 * is checked, until the window turns. Callers are kept in a bounded cache for two windows after their last
 * failure. Counted as {@code shop_auth_failures_total} and {@code shop_auth_throttled_total}.
 */
public class LoginThrottle {

    static final int MAX_CALLERS = 100_000;

    private final RateLimiterConfig config;
    private final Cache<String, RateLimiter> callers;
    private final Counter failures;
    private final Counter throttled;

    public LoginThrottle(int limit, Duration window, MeterRegistry meters) {
        this.config = RateLimiterConfig.custom().limitForPeriod(limit).limitRefreshPeriod(window)
                .timeoutDuration(Duration.ZERO).build();
        this.callers = Caffeine.newBuilder().maximumSize(MAX_CALLERS).expireAfterAccess(window.multipliedBy(2)).build();
        this.failures = Counter.builder("shop.auth.failures").description("operator logins refused: wrong or malformed credentials")
                .register(meters);
        this.throttled = Counter.builder("shop.auth.throttled")
                .description("operator logins refused unchecked: too many failures from the caller").register(meters);
    }

    /** Seconds the caller has to wait before a password of its is checked again; 0 when it may try now. */
    public long retryAfterSeconds(String caller) {
        RateLimiter limiter = callers.getIfPresent(caller);
        if (limiter == null || limiter.getMetrics().getAvailablePermissions() > 0) {
            return 0;
        }
        long nanos = limiter.getMetrics() instanceof AtomicRateLimiter.AtomicRateLimiterMetrics m
                ? m.getNanosToWait() : config.getLimitRefreshPeriod().toNanos();
        return Math.max(1, (nanos + 999_999_999L) / 1_000_000_000L);
    }

    public void failed(String caller) {
        failures.increment();
        callers.get(caller, c -> RateLimiter.of("login-" + c, config)).acquirePermission();
    }

    public void throttled() {
        throttled.increment();
    }
}
