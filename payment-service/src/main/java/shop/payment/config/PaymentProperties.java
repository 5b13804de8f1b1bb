package shop.payment.config;

import java.net.URI;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code shop.payment.*} (application.properties): which provider, how long one provider call may take, the
 * largest accepted amount and the Stripe connection.
 */
@ConfigurationProperties("shop.payment")
public record PaymentProperties(String provider, Long providerTimeoutMs, Long maxAmount, Integer reconcileBatchSize,
                                Stripe stripe) {

    public static final String SIMULATOR = "simulator";
    public static final String STRIPE = "stripe";

    public PaymentProperties {
        provider = provider == null || provider.isBlank() ? SIMULATOR : provider.trim().toLowerCase();
        providerTimeoutMs = providerTimeoutMs == null ? 2000L : providerTimeoutMs;
        maxAmount = maxAmount == null ? 99_999_999L : maxAmount;
        reconcileBatchSize = reconcileBatchSize == null ? 50 : reconcileBatchSize;
        stripe = stripe == null ? new Stripe(null, null, null, null) : stripe;
        if (!provider.equals(SIMULATOR) && !provider.equals(STRIPE)) {
            throw new IllegalArgumentException("PAYMENT_PROVIDER (shop.payment.provider) must be 'simulator' or 'stripe', was '" + provider + "'");
        }
        if (providerTimeoutMs < 100 || providerTimeoutMs > 60_000) {
            throw new IllegalArgumentException("shop.payment.provider-timeout-ms must be between 100 and 60000, was " + providerTimeoutMs);
        }
        if (maxAmount < 1) {
            throw new IllegalArgumentException("shop.payment.max-amount must be positive, was " + maxAmount);
        }
    }

    public Duration providerTimeout() {
        return Duration.ofMillis(providerTimeoutMs);
    }

    /**
     * @param apiKey     secret key ({@code STRIPE_API_KEY}), required when the provider is stripe
     * @param apiBase    {@code STRIPE_API_BASE}, https://api.stripe.com unless a test double or proxy is used
     * @param apiVersion optional {@code Stripe-Version} header; empty = the account's default version
     * @param searchLagSeconds {@code STRIPE_SEARCH_LAG_SECONDS}: how long after a charge attempt Stripe's search may
     *                   not show its payment intent yet (a lookup answers "unknown" rather than "none" until then)
     */
    public record Stripe(String apiKey, String apiBase, String apiVersion, Long searchLagSeconds) {

        public Stripe {
            searchLagSeconds = searchLagSeconds == null ? 60L : searchLagSeconds;
            if (searchLagSeconds < 0 || searchLagSeconds > 3600) {
                throw new IllegalArgumentException("STRIPE_SEARCH_LAG_SECONDS must be between 0 and 3600, was " + searchLagSeconds);
            }
            apiKey = apiKey == null ? "" : apiKey.trim();
            apiBase = apiBase == null || apiBase.isBlank() ? "https://api.stripe.com" : apiBase.trim();
            apiVersion = apiVersion == null ? "" : apiVersion.trim();
            while (apiBase.endsWith("/")) {
                apiBase = apiBase.substring(0, apiBase.length() - 1);
            }
            URI uri = URI.create(apiBase);
            if (uri.getScheme() == null || !(uri.getScheme().equals("https") || uri.getScheme().equals("http")) || uri.getHost() == null) {
                throw new IllegalArgumentException("STRIPE_API_BASE must be an http(s) URL, was '" + apiBase + "'");
            }
        }

        public Duration searchLag() {
            return Duration.ofSeconds(searchLagSeconds);
        }
    }
}
