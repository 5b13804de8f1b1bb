package shop.platform.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.context.support.GenericApplicationContext;

import shop.platform.testing.BrokerPolicies;

/**
 * /ready's policy probe against the real broker: a vhost without the policies is told from one with them,
 * over AMQP alone (no management plugin), and the probe leaves nothing behind.
 */
class BrokerPoliciesProbeTest {

    private String vhost;
    private CachingConnectionFactory connections;

    @AfterEach
    void cleanUp() {
        if (connections != null) {
            connections.destroy();
        }
        if (vhost != null) {
            BrokerPolicies.deleteVhost(vhost);
        }
    }

    @Test
    void aBrokerWithoutThePoliciesIsNotReadyAndOneWithThemIs() {
        vhost = BrokerPolicies.freshVhost("probe", false);
        BrokerPoliciesProbe probe = new BrokerPoliciesProbe(declaredTopology(), 0);

        assertThat(probe.ready()).as("no policies: shop.events has no alternate exchange").isFalse();

        BrokerPolicies.apply(vhost);
        assertThat(probe.ready()).as("with the policies").isTrue();
        assertThat(new RabbitAdmin(connections).getQueueInfo(Topology.UNROUTABLE).getMessageCount())
                .as("the probe expired at once in shop.unroutable").isZero();
    }

    @Test
    void aBrokerThatCannotBeAskedIsNotReady() {
        CachingConnectionFactory nowhere = new CachingConnectionFactory("127.0.0.1", 1);
        try {
            assertThat(new BrokerPoliciesProbe(nowhere, 0).ready()).isFalse();
        } finally {
            nowhere.destroy();
        }
    }

    /** The shared topology declared as a service declares it when it connects. */
    private CachingConnectionFactory declaredTopology() {
        connections = new CachingConnectionFactory("127.0.0.1", 5672);
        connections.setVirtualHost(vhost);
        try (GenericApplicationContext context = new GenericApplicationContext()) {
            context.registerBean("shared", Declarables.class, SharedTopology::declarables);
            context.refresh();
            RabbitAdmin admin = new RabbitAdmin(connections);
            admin.setApplicationContext(context);
            admin.afterPropertiesSet();
            admin.initialize();
        }
        return connections;
    }
}
