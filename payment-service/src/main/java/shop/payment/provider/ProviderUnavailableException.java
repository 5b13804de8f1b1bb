package shop.payment.provider;

/**
 * The provider call ended without a known outcome (timeout, connection failure, 5xx, 429, a concurrent request
 * with the same key): the charge may or may not have happened. Never a reason to charge again with a new key.
 */
public class ProviderUnavailableException extends RuntimeException {

    public ProviderUnavailableException(String message) {
        super(message);
    }

    public ProviderUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
