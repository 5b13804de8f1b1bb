package shop.platform.messaging;

import java.io.IOException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;

import shop.platform.web.ReadinessCondition;

/**
 * {@code /ready} answers 503 while the broker lacks the policies of config/rabbitmq/definitions.json
 * (docs/adr/0005, Updated). The management API is not there to ask on every broker (not on this machine's),
 * so the probe asks RABBITMQ: it publishes an empty, already expired message ({@code expiration=0}) to
 * {@link Topology#EVENTS} with a routing key no queue is bound for, mandatory, and waits for the confirm. With
 * policy shop-events the alternate exchange takes it and it expires in shop.unroutable at once, leaving nothing;
 * without it the broker returns it as unroutable. The policy set is applied as one (bin/apply-policies,
 * the definitions import), so the alternate exchange stands for the set. A positive answer is reused for
 * {@code recheckMs}, a negative one asked again on the next call; a broker that cannot be asked counts as not ready.
 */
public class BrokerPoliciesProbe implements ReadinessCondition {

    static final String ROUTING_KEY = "shop.readiness-probe";
    private static final Logger log = LoggerFactory.getLogger(BrokerPoliciesProbe.class);
    private static final AMQP.BasicProperties EXPIRED = new AMQP.BasicProperties.Builder().expiration("0").build();

    private final ConnectionFactory connections;
    private final long recheckMs;
    private volatile long checkedAt;
    private volatile boolean present;
    private volatile boolean reported;

    public BrokerPoliciesProbe(ConnectionFactory connections, long recheckMs) {
        this.connections = connections;
        this.recheckMs = recheckMs;
    }

    @Override
    public boolean ready() {
        if (present && System.currentTimeMillis() - checkedAt < recheckMs) {
            return true;
        }
        synchronized (this) {
            present = probe();
            checkedAt = System.currentTimeMillis();
            if (!present && !reported) {
                log.warn("not ready: the broker lacks the shop's policies or cannot be asked (bin/apply-policies, docs/deployment.md)");
            }
            reported = !present;
            return present;
        }
    }

    /** True when the alternate exchange of shop.events took the probe. */
    public boolean probe() {
        try {
            Channel channel = connections.createConnection().getDelegate().createChannel();
            if (channel == null) {
                return false;
            }
            try {
                AtomicBoolean returned = new AtomicBoolean();
                channel.addReturnListener(r -> returned.set(true));
                channel.confirmSelect();
                channel.basicPublish(Topology.EVENTS, ROUTING_KEY, true, EXPIRED, new byte[0]);
                // a return arrives before the confirm of the same message
                channel.waitForConfirmsOrDie(5000);
                return !returned.get();
            } finally {
                if (channel.isOpen()) {
                    channel.close();
                }
            }
        } catch (IOException | TimeoutException | InterruptedException | RuntimeException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            log.debug("policy probe failed: {}", e.toString());
            return false;
        }
    }
}
