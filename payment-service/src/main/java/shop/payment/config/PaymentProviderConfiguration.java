package shop.payment.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.web.client.RestClient;

import shop.payment.provider.InstrumentedPaymentProvider;
import shop.payment.provider.PaymentProvider;
import shop.payment.provider.SimulatorPaymentProvider;
import shop.payment.provider.StripePaymentProvider;

/** The one {@link PaymentProvider} bean, chosen by {@code shop.payment.provider} ({@code PAYMENT_PROVIDER}). */
@Configuration(proxyBeanMethods = false)
public class PaymentProviderConfiguration {

    private static final Logger log = LoggerFactory.getLogger(PaymentProviderConfiguration.class);

    @Bean
    PaymentProvider paymentProvider(PaymentProperties props, JdbcTemplate jdbc, PlatformTransactionManager transactions,
                                    ObjectProvider<RestClient.Builder> restClients, ObjectMapper json,
                                    MeterRegistry meters, Environment env) {
        PaymentProvider provider;
        if (PaymentProperties.STRIPE.equals(props.provider())) {
            PaymentProperties.Stripe stripe = props.stripe();
            RestClient client = StripePaymentProvider.client(restClients.getIfAvailable(RestClient::builder),
                    stripe.apiBase(), stripe.apiKey(), stripe.apiVersion(), props.providerTimeout());
            provider = new StripePaymentProvider(client, json, stripe.searchLag());
            log.info("payment provider: Stripe at {} (timeout {} ms)", stripe.apiBase(), props.providerTimeoutMs());
        } else {
            provider = new SimulatorPaymentProvider(jdbc, transactions);
            if (env.acceptsProfiles(Profiles.of("prod"))) {
                log.warn("payment provider: SIMULATOR under the prod profile, allowed by PAYMENT_SIMULATOR_ALLOWED=true - no real money moves");
            } else {
                log.info("payment provider: built-in simulator (Stripe test payment methods)");
            }
        }
        return new InstrumentedPaymentProvider(provider, meters);
    }
}
