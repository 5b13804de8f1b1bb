package shop.shipping.config;

import java.time.Duration;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import shop.platform.tracing.TraceContext;
import shop.shipping.carrier.Carrier;
import shop.shipping.carrier.HttpCarrier;
import shop.shipping.carrier.SimulatedCarrier;

/** Bean {@code carrier}: the HTTP carrier at {@code SHIPPING_CARRIER_URL}, or the simulated one when it is unset. */
@Configuration(proxyBeanMethods = false)
public class CarrierConfiguration {

    private static final Logger log = LoggerFactory.getLogger(CarrierConfiguration.class);

    @Bean
    Carrier carrier(ShippingProperties props, ObjectMapper json, MeterRegistry meters, TraceContext trace) {
        if (props.simulatedCarrier()) {
            log.info("SHIPPING_CARRIER_URL is not set: shipments are booked with the built-in simulated carrier");
            return new SimulatedCarrier();
        }
        log.info("shipments are booked with the carrier at {} (timeout {} ms)", props.carrierUrl(), props.carrierTimeoutMs());
        return new HttpCarrier(props.carrierUrl(), Duration.ofMillis(props.carrierTimeoutMs()), json, meters, trace);
    }
}
