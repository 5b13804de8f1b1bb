package shop.shipping.dlq;

import java.util.concurrent.atomic.AtomicInteger;

import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Bean {@code dlqReplayGuard}: tells route {@code shipments-dlq-replay-stopper} when the operator-started
 * replay route has nothing left to do - it is running, the DLQ has had no ready message on two checks in a
 * row and no message is in flight - so that it can stop it. Costs nothing while the replay route is stopped.
 */
@Component("dlqReplayGuard")
public class DlqReplayGuard {

    private static final Logger log = LoggerFactory.getLogger(DlqReplayGuard.class);

    private final CamelContext camel;
    private final ShippingDeadLetterQueue dlq;
    private final AtomicInteger emptyChecks = new AtomicInteger();

    public DlqReplayGuard(CamelContext camel, ShippingDeadLetterQueue dlq) {
        this.camel = camel;
        this.dlq = dlq;
    }

    public boolean drained(String routeId) {
        ServiceStatus status = camel.getRouteController().getRouteStatus(routeId);
        if (status != ServiceStatus.Started) {
            emptyChecks.set(0);
            return false;
        }
        int depth;
        try {
            depth = dlq.depth();
        } catch (Exception e) {
            log.warn("cannot read the depth of {} while {} runs: {}", dlq.queue(), routeId, e.toString());
            emptyChecks.set(0);
            return false;
        }
        if (depth > 0 || camel.getInflightRepository().size(routeId) > 0) {
            emptyChecks.set(0);
            return false;
        }
        if (emptyChecks.incrementAndGet() < 2) {
            return false;
        }
        emptyChecks.set(0);
        return true;
    }
}
