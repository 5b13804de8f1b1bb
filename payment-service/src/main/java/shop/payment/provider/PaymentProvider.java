package shop.payment.provider;

import java.time.Instant;
import java.util.Optional;

/**
 * The third party that moves the money. Every call is idempotent by key: calling {@link #charge} twice with
 * the same {@link ChargeRequest#idempotencyKey()} charges at most once and answers the same outcome, and
 * {@link #refund} with the same key refunds at most once.
 *
 * <p>Failures come in two kinds: {@link ProviderUnavailableException} - the outcome is unknown (timeout, 5xx,
 * connection lost), the caller must settle it later with {@link #lookup}; {@link ProviderRejectedException} -
 * the provider refused the request itself and nothing happened (bad credentials, bad parameters).
 */
public interface PaymentProvider {

    /** Short name for logs and metrics ({@code simulator}, {@code stripe}). */
    String name();

    /** Charges; a decline is an answer ({@link ProviderResult#declined}), not an exception. */
    ProviderResult charge(ChargeRequest request);

    /**
     * What became of a charge made (or maybe made) with this request's idempotency key: empty when the provider
     * has no charge under that key, so none can appear later for it either once the original call has ended.
     * A lookup only reads: it never creates, confirms or retries a charge (only {@link #charge} moves money), so
     * a lookup made for a refund of a charge that never reached the provider leaves nothing behind.
     *
     * @param original      the request as sent (its key and metadata identify the charge)
     * @param lastAttemptAt when the charge was last attempted (a provider whose lookup lags behind its writes
     *                      answers "unknown" rather than "none" for a charge attempted that recently)
     * @throws ProviderUnavailableException when the provider cannot tell now
     */
    Optional<ProviderResult> lookup(ChargeRequest original, Instant lastAttemptAt);

    /** Refunds a successful charge in full; refunding an already refunded charge succeeds again. */
    RefundResult refund(String providerRef, String idempotencyKey);
}
