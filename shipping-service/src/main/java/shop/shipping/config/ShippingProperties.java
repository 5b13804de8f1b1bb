package shop.shipping.config;

import java.net.URI;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of shipping-service ({@code shop.shipping.*}, set from the environment in application.properties).
 *
 * @param carrierUrl       base URL of the carrier API; blank = the built-in simulated carrier
 * @param carrierTimeoutMs deadline of one carrier call, connect to last byte of the answer
 * @param consumers        listener threads on {@code shipping.order-confirmed}
 * @param dlqDepthCacheMs  how long the DLQ depth gauge reuses a value read from the broker
 * @param dlqListLimit     how many dead letters {@code GET /admin/dlq/shipments} lists at most
 */
@ConfigurationProperties("shop.shipping")
public record ShippingProperties(String carrierUrl, Long carrierTimeoutMs, Integer consumers,
                                 Long dlqDepthCacheMs, Integer dlqListLimit) {

    public ShippingProperties {
        carrierUrl = carrierUrl == null ? "" : carrierUrl.trim();
        carrierTimeoutMs = carrierTimeoutMs == null ? 3000L : carrierTimeoutMs;
        consumers = consumers == null ? 2 : consumers;
        dlqDepthCacheMs = dlqDepthCacheMs == null ? 5000L : dlqDepthCacheMs;
        dlqListLimit = dlqListLimit == null ? 100 : dlqListLimit;
        if (!carrierUrl.isEmpty()) {
            URI uri;
            try {
                uri = URI.create(carrierUrl);
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("SHIPPING_CARRIER_URL is not a valid URL: " + carrierUrl);
            }
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new IllegalStateException("SHIPPING_CARRIER_URL must be an absolute http(s) URL, was: " + carrierUrl);
            }
        }
        if (carrierTimeoutMs < 100 || carrierTimeoutMs > 120_000) {
            throw new IllegalStateException("SHIPPING_CARRIER_TIMEOUT_MS must be between 100 and 120000, was " + carrierTimeoutMs);
        }
        if (consumers < 1 || consumers > 50) {
            throw new IllegalStateException("SHIPPING_CONSUMERS must be between 1 and 50, was " + consumers);
        }
        if (dlqListLimit < 1 || dlqListLimit > 1000) {
            throw new IllegalStateException("shop.shipping.dlq-list-limit must be between 1 and 1000, was " + dlqListLimit);
        }
    }

    public boolean simulatedCarrier() {
        return carrierUrl.isEmpty();
    }
}
