package shop.platform.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;

/**
 * A customer sends the same token with every request until it expires; this decoder checks a token's signature and
 * claims once and answers the same {@link Jwt} for it until the moment the checks would refuse it: its {@code exp}
 * plus the allowed clock skew. Only accepted tokens are kept (a refusal throws and is decided again next time), at
 * most {@code maximumSize} of them, so the cache holds only what the secret's owner signed. Everything a check
 * decides is fixed in the token except the time, and that is what bounds the entry: by the monotonic ticker, and
 * on every hit by the wall clock too, so a clock that steps forward never makes the cache accept what the checks
 * would refuse (ADR 21). A token without {@code exp} (the configured checks refuse it) is never kept.
 */
public final class CachingJwtDecoder implements JwtDecoder {

    private static final Duration LONGEST = Duration.ofDays(1);

    private final JwtDecoder delegate;
    private final Duration clockSkew;
    private final Clock clock;
    private final Cache<String, Jwt> accepted;

    public CachingJwtDecoder(JwtDecoder delegate, long maximumSize, Duration clockSkew) {
        this(delegate, maximumSize, clockSkew, Clock.systemUTC(), Ticker.systemTicker());
    }

    /** {@code clock} and {@code ticker} must advance together (tests pass both from one source). */
    CachingJwtDecoder(JwtDecoder delegate, long maximumSize, Duration clockSkew, Clock clock, Ticker ticker) {
        this.delegate = delegate;
        this.clockSkew = clockSkew;
        this.clock = clock;
        this.accepted = Caffeine.newBuilder()
                .maximumSize(maximumSize)
                .ticker(ticker)
                .expireAfter(new UntilRefused())
                .build();
    }

    @Override
    public Jwt decode(String token) throws JwtException {
        Jwt jwt = accepted.getIfPresent(token);
        // the entry's lifetime runs on the monotonic ticker; the wall clock the validator reads may have stepped
        // forward since (NTP), so the hit is checked against it as well
        if (jwt != null && clock.instant().isBefore(refusedFrom(jwt))) {
            return jwt;
        }
        jwt = delegate.decode(token);
        if (jwt.getExpiresAt() != null) {
            accepted.put(token, jwt);
        }
        return jwt;
    }

    private Instant refusedFrom(Jwt jwt) {
        return jwt.getExpiresAt().plus(clockSkew);
    }

    long size() {
        accepted.cleanUp();
        return accepted.estimatedSize();
    }

    private final class UntilRefused implements Expiry<String, Jwt> {

        @Override
        public long expireAfterCreate(String token, Jwt jwt, long currentTime) {
            Duration left = Duration.between(clock.instant(), refusedFrom(jwt));
            // a day at most: Caffeine counts in nanoseconds, and a token valid for centuries would overflow them
            return left.isNegative() ? 0 : left.compareTo(LONGEST) > 0 ? LONGEST.toNanos() : left.toNanos();
        }

        @Override
        public long expireAfterUpdate(String token, Jwt jwt, long currentTime, long currentDuration) {
            return expireAfterCreate(token, jwt, currentTime);
        }

        @Override
        public long expireAfterRead(String token, Jwt jwt, long currentTime, long currentDuration) {
            return currentDuration;
        }
    }
}
