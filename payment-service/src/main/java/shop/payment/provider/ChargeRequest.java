package shop.payment.provider;

import java.util.Map;

/**
 * One charge as sent to a provider. Amount in minor units (cents); currency as ISO 4217 upper case.
 * Everything in it must be the same on every retry of the same key (providers reject a reused key with
 * different parameters), so it is always rebuilt from the stored payment row.
 */
public record ChargeRequest(String idempotencyKey, long amount, String currency, String paymentMethod,
                            Map<String, String> metadata) {

    public ChargeRequest {
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }
}
