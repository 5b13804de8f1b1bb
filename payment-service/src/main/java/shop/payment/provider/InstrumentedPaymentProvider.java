package shop.payment.provider;

import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wraps the configured provider with a timer per call: {@code shop_payment_provider_requests_seconds{provider,
 * operation,outcome}}, outcome {@code succeeded}, {@code declined}, {@code not_found}, {@code unavailable},
 * {@code rejected} - what an operator watches to tell a provider outage from a wave of declines.
 */
public class InstrumentedPaymentProvider implements PaymentProvider {

    private static final Logger log = LoggerFactory.getLogger(InstrumentedPaymentProvider.class);

    private final PaymentProvider delegate;
    private final MeterRegistry meters;

    public InstrumentedPaymentProvider(PaymentProvider delegate, MeterRegistry meters) {
        this.delegate = delegate;
        this.meters = meters;
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public ProviderResult charge(ChargeRequest request) {
        return timed("charge", () -> delegate.charge(request), r -> r.succeeded() ? "succeeded" : "declined");
    }

    @Override
    public Optional<ProviderResult> lookup(ChargeRequest original, Instant lastAttemptAt) {
        return timed("lookup", () -> delegate.lookup(original, lastAttemptAt),
                r -> r.map(x -> x.succeeded() ? "succeeded" : "declined").orElse("not_found"));
    }

    @Override
    public RefundResult refund(String providerRef, String idempotencyKey) {
        return timed("refund", () -> delegate.refund(providerRef, idempotencyKey), r -> "succeeded");
    }

    private <T> T timed(String operation, Supplier<T> call, Function<T, String> outcome) {
        Timer.Sample sample = Timer.start(meters);
        String result = "unavailable";
        try {
            T value = call.get();
            result = outcome.apply(value);
            return value;
        } catch (ProviderRejectedException e) {
            result = "rejected";
            log.error("payment provider {} rejected {}: {}", delegate.name(), operation, e.getMessage());
            throw e;
        } catch (ProviderUnavailableException e) {
            log.warn("payment provider {} {}: outcome unknown: {}", delegate.name(), operation, e.getMessage());
            throw e;
        } catch (RuntimeException e) {
            // anything else (a bug, the simulator's database gone) leaves the outcome just as unknown
            log.warn("payment provider {} {} failed: {}", delegate.name(), operation, e.toString());
            throw new ProviderUnavailableException(delegate.name() + " " + operation + " failed: " + e.getMessage(), e);
        } finally {
            sample.stop(Timer.builder("shop.payment.provider.requests")
                    .description("calls to the payment provider")
                    .tag("provider", delegate.name()).tag("operation", operation).tag("outcome", result)
                    .register(meters));
        }
    }
}
