package shop.platform.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.amqp.rabbit.connection.AbstractConnectionFactory.AddressShuffleMode;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.connection.Connection;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.support.ResourcePropertySource;

import shop.platform.testing.BrokerPolicies;

/**
 * RABBITMQ_ADDRESSES: the services' broker addresses come from it when set, from RABBITMQ_HOST/PORT otherwise;
 * a list with a node that does not answer still connects, to one that does.
 */
class BrokerAddressesTest {

    @Test
    void addressesComeFromRabbitmqAddressesElseFromHostAndPort() throws Exception {
        assertThat(addresses(Map.of())).isEqualTo("127.0.0.1:5672");
        assertThat(addresses(Map.of("RABBITMQ_HOST", "rabbit", "RABBITMQ_PORT", "5673"))).isEqualTo("rabbit:5673");
        assertThat(addresses(Map.of("RABBITMQ_HOST", "rabbit", "RABBITMQ_ADDRESSES", "r1:5672,r2:5672,r3:5672")))
                .isEqualTo("r1:5672,r2:5672,r3:5672");
        assertThat(platformDefaults(Map.of()).getProperty("spring.rabbitmq.address-shuffle-mode")).isEqualTo("random");
    }

    @Test
    void aNodeThatDoesNotAnswerIsSkipped() {
        CachingConnectionFactory connections = new CachingConnectionFactory();
        // port 1: nothing listens; the shuffle puts it first about every other time - both orders must connect
        connections.setAddresses("127.0.0.1:1,127.0.0.1:5672");
        connections.setAddressShuffleMode(AddressShuffleMode.RANDOM);
        connections.setVirtualHost(BrokerPolicies.vhost());
        try {
            for (int i = 0; i < 4; i++) {
                Connection c = connections.createConnection();
                assertThat(c.isOpen()).isTrue();
                connections.resetConnection();
            }
        } finally {
            connections.destroy();
        }
    }

    private static String addresses(Map<String, Object> env) throws Exception {
        return platformDefaults(env).getProperty("spring.rabbitmq.addresses");
    }

    private static StandardEnvironment platformDefaults(Map<String, Object> env) throws Exception {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().remove(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
        environment.getPropertySources().addFirst(new MapPropertySource("env", env));
        environment.getPropertySources().addLast(new ResourcePropertySource(new ClassPathResource("shop-platform.properties")));
        return environment;
    }
}
