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
     *
     * @param original       the request exactly as first sent (a provider may replay it to learn the outcome)
     * @param firstAttemptAt when the charge was first attempted (idempotency keys of some providers expire)
     */
    Optional<ProviderResult> lookup(ChargeRequest original, Instant firstAttemptAt);

    /** Refunds a successful charge in full; refunding an already refunded charge succeeds again. */
    RefundResult refund(String providerRef, String idempotencyKey);
}
