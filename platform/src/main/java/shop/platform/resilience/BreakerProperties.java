package shop.platform.resilience;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Circuit breaker defaults from the seed: open at 50 % failures over a sliding window of 20 calls, once at
 * least 10 were made; 30 s before half-open. Call timeouts belong to the calls themselves.
 */
@ConfigurationProperties("shop.breaker")
public record BreakerProperties(Float failureRateThreshold, Integer slidingWindowSize, Integer minimumNumberOfCalls,
                                Integer waitInOpenStateSeconds, Integer permittedCallsInHalfOpenState) {

    public BreakerProperties {
        failureRateThreshold = failureRateThreshold == null ? 50f : failureRateThreshold;
        slidingWindowSize = slidingWindowSize == null ? 20 : slidingWindowSize;
        minimumNumberOfCalls = minimumNumberOfCalls == null ? 10 : minimumNumberOfCalls;
        waitInOpenStateSeconds = waitInOpenStateSeconds == null ? 30 : waitInOpenStateSeconds;
        permittedCallsInHalfOpenState = permittedCallsInHalfOpenState == null ? 3 : permittedCallsInHalfOpenState;
    }
}
