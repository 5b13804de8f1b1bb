package shop.payment.provider;

/**
 * A definitive charge outcome.
 *
 * @param providerRef the provider's id of the charge (payment intent), null when it created none
 * @param declineCode why it was declined ({@code generic_decline}, {@code insufficient_funds}, ...), null on success
 */
public record ProviderResult(Status status, String providerRef, String declineCode) {

    public enum Status { SUCCEEDED, DECLINED }

    public static ProviderResult succeeded(String providerRef) {
        return new ProviderResult(Status.SUCCEEDED, providerRef, null);
    }

    public static ProviderResult declined(String providerRef, String declineCode) {
        return new ProviderResult(Status.DECLINED, providerRef, declineCode == null ? "card_declined" : declineCode);
    }

    public boolean succeeded() {
        return status == Status.SUCCEEDED;
    }
}
