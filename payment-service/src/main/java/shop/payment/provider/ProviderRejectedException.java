package shop.payment.provider;

/**
 * The provider refused the request itself (invalid credentials, invalid parameters, a key reused with other
 * parameters, a refund it does not allow): nothing happened, and retrying the same request will not help.
 * Usually a configuration or programming error an operator must look at.
 */
public class ProviderRejectedException extends RuntimeException {

    public ProviderRejectedException(String message) {
        super(message);
    }
}
