package shop.platform.security;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import javax.crypto.spec.SecretKeySpec;

import com.github.benmanes.caffeine.cache.Ticker;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The cache answers only for tokens the real decoder accepted, and only until the decoder would refuse them. */
class CachingJwtDecoderTest {

    private static final String SECRET = "caching-decoder-test-secret-0123456789abcdef";
    private static final Duration SKEW = Duration.ofSeconds(30);

    /** The cache's wall clock and its monotonic ticker: they advance together unless a test steps the clock. */
    private final Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS); // exp has whole seconds
    private final AtomicLong elapsedNanos = new AtomicLong();
    private final AtomicLong clockStepNanos = new AtomicLong();
    private final Clock clock = new Clock() {
        @Override public ZoneOffset getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(ZoneId zone) { return this; }
        @Override public Instant instant() { return start.plusNanos(elapsedNanos.get() + clockStepNanos.get()); }
    };
    private final Ticker ticker = elapsedNanos::get;

    private final AtomicInteger decoded = new AtomicInteger();
    private final NimbusJwtDecoder nimbus = nimbus();
    private final JwtDecoder counting = token -> {
        decoded.incrementAndGet();
        return nimbus.decode(token);
    };

    private NimbusJwtDecoder nimbus() {
        NimbusJwtDecoder decoder = NimbusJwtDecoder.withSecretKey(
                new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256")).macAlgorithm(MacAlgorithm.HS256).build();
        decoder.setJwtValidator(new JwtTimestampValidator(SKEW));
        return decoder;
    }

    @Test
    void anAcceptedTokenIsCheckedOnceAndAnsweredFromTheCache() {
        CachingJwtDecoder cache = new CachingJwtDecoder(counting, 16, SKEW, clock, ticker);
        String token = token(SECRET, "customer-1", start.plusSeconds(600));

        Jwt first = cache.decode(token);
        Jwt second = cache.decode(token);

        assertThat(decoded).hasValue(1);
        assertThat(second).isSameAs(first);
        assertThat(second.getSubject()).isEqualTo("customer-1");
    }

    @Test
    void aRefusedTokenIsNeverRememberedAndIsCheckedEveryTime() {
        CachingJwtDecoder cache = new CachingJwtDecoder(counting, 16, SKEW, clock, ticker);
        String forged = token("another-secret-of-at-least-32-bytes-0123456789", "customer-1", start.plusSeconds(600));

        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> cache.decode(forged)).isInstanceOf(JwtException.class);
        }

        assertThat(decoded).hasValue(3);
        assertThat(cache.size()).isZero();
    }

    @Test
    void anExpiredTokenIsRefusedAndNotRemembered() {
        CachingJwtDecoder cache = new CachingJwtDecoder(counting, 16, SKEW, clock, ticker);
        String expired = token(SECRET, "customer-1", start.minus(SKEW).minusSeconds(1));

        assertThatThrownBy(() -> cache.decode(expired)).isInstanceOf(JwtException.class);
        assertThat(cache.size()).isZero();
    }

    @Test
    void anEntryLastsUntilTheTokensExpiryPlusTheSkewAndNoLonger() {
        CachingJwtDecoder cache = new CachingJwtDecoder(counting, 16, SKEW, clock, ticker);
        Instant expiresAt = start.plusSeconds(60);
        String token = token(SECRET, "customer-1", expiresAt);
        cache.decode(token);

        advanceTo(expiresAt.plus(SKEW).minusMillis(1));
        cache.decode(token);
        assertThat(decoded).as("still within exp + skew: answered from the cache").hasValue(1);

        advanceTo(expiresAt.plus(SKEW));
        cache.decode(token);
        assertThat(decoded).as("from exp + skew on the token is checked again").hasValue(2);
    }

    @Test
    void aWallClockThatStepsPastTheExpiryEndsTheEntryThoughTheTickerHasNotMoved() {
        CachingJwtDecoder cache = new CachingJwtDecoder(counting, 16, SKEW, clock, ticker);
        Instant expiresAt = start.plusSeconds(60);
        String token = token(SECRET, "customer-1", expiresAt);
        cache.decode(token);

        clockStepNanos.set(Duration.ofSeconds(60).plus(SKEW).toNanos()); // an NTP step: only the wall clock moves
        cache.decode(token);

        assertThat(decoded).as("the hit is checked against the wall clock and the token decoded again").hasValue(2);
    }

    @Test
    void aTokenValidForCenturiesIsRememberedForADayAndThenCheckedAgain() {
        CachingJwtDecoder cache = new CachingJwtDecoder(counting, 16, SKEW, clock, ticker);
        String token = token(SECRET, "customer-1", start.plus(Duration.ofDays(365L * 500)));

        cache.decode(token);
        cache.decode(token);
        assertThat(decoded).hasValue(1);

        advanceTo(start.plus(Duration.ofDays(1)));
        cache.decode(token);
        assertThat(decoded).hasValue(2);
    }

    @Test
    void theCacheHoldsAtMostItsSize() {
        CachingJwtDecoder cache = new CachingJwtDecoder(counting, 8, SKEW, clock, ticker);
        for (int i = 0; i < 100; i++) {
            cache.decode(token(SECRET, "customer-" + i, start.plusSeconds(600)));
        }
        assertThat(cache.size()).isLessThanOrEqualTo(8);
    }

    private void advanceTo(Instant instant) {
        elapsedNanos.set(Duration.between(start, instant).toNanos());
    }

    private static String token(String secret, String subject, Instant expiresAt) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256),
                    new JWTClaimsSet.Builder().subject(subject).expirationTime(Date.from(expiresAt)).build());
            jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
            return jwt.serialize();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
