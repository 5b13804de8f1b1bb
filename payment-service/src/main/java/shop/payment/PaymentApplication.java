package shop.payment;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * payment-service: answers {@code payment.charge}, {@code payment.refund} and {@code payment.status} on
 * {@code payment.commands} (routes/payment-service), keeps one payment per order in database {@code payments},
 * publishes {@code payment.completed} / {@code payment.refunded} through the outbox and serves
 * {@code GET /payments?orderId=} to operators.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class PaymentApplication {

    public static void main(String[] args) {
        SpringApplication.run(PaymentApplication.class, args);
    }
}
