package shop.payment.config;

import java.util.ArrayList;
import java.util.List;

import org.springframework.core.env.Environment;

import shop.platform.security.ProductionCheck;

/**
 * Under the {@code prod} profile the simulator would confirm every order without moving money: refused unless
 * {@code PAYMENT_SIMULATOR_ALLOWED=true} says so (a staging or trial stack); the Stripe provider needs its key.
 */
public class PaymentProviderProductionCheck implements ProductionCheck {

    @Override
    public List<String> problems(Environment env) {
        List<String> problems = new ArrayList<>();
        String provider = env.getProperty("shop.payment.provider", PaymentProperties.SIMULATOR).trim().toLowerCase();
        boolean simulatorAllowed = env.getProperty("shop.payment.simulator-allowed", Boolean.class, false);
        if ((provider.isEmpty() || provider.equals(PaymentProperties.SIMULATOR)) && !simulatorAllowed) {
            problems.add("PAYMENT_PROVIDER is simulator, which confirms orders without taking any money"
                    + " (set PAYMENT_PROVIDER=stripe with STRIPE_API_KEY, or PAYMENT_SIMULATOR_ALLOWED=true for a trial stack)");
        }
        if (provider.equals(PaymentProperties.STRIPE) && env.getProperty("shop.payment.stripe.api-key", "").isBlank()) {
            problems.add("STRIPE_API_KEY is not set (PAYMENT_PROVIDER=stripe)");
        }
        return problems;
    }
}
