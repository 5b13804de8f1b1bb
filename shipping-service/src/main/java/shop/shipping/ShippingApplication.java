package shop.shipping;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * shipping-service: consumes {@code order.confirmed}, books a shipment with the carrier and publishes
 * {@code shipment.created} (routes in {@code routes/shipping-service/}). Everything shared - outbox,
 * inbox, dead letters, security, probes - comes from {@code platform}.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class ShippingApplication {

    public static void main(String[] args) {
        SpringApplication.run(ShippingApplication.class, args);
    }
}
