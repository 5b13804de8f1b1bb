package shop.shipping.dlq;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Bean {@code dlqReplayGuard}: keeps the operator-started route {@code shipments-dlq-replay} from running
 * forever.
 * <ul>
 *   <li>{@link #drained(String)} (route {@code shipments-dlq-replay-stopper}): the replay route runs, the DLQ
 *       had no ready message on two checks in a row and nothing is in flight - time to stop it. Looks at the
 *       broker only while the replay route runs.</li>
 *   <li>{@link #notReplayedInThisRun(Exchange)} (first step of the replay route): a dead letter that carries an
 *       {@code x-replayed-at} from this run of the route was replayed already and failed again - the cause is
 *       not fixed. Replaying it again would loop between the two queues; instead it stays in the DLQ and the
 *       route stops.</li>
 * </ul>
 */
@Component("dlqReplayGuard")
public class DlqReplayGuard {

    /** When a dead letter was last moved back to processing (ISO-8601); kept when it is dead-lettered again. */
    public static final String REPLAYED_AT = "x-replayed-at";

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

    /** Fails with {@link AlreadyReplayed} when this dead letter was replayed by the current run of its route. */
    public void notReplayedInThisRun(Exchange exchange) {
        String replayedAt = exchange.getMessage().getHeader(REPLAYED_AT, String.class);
        Route route = camel.getRoute(exchange.getFromRouteId());
        if (replayedAt == null || route == null) {
            return;
        }
        Instant routeStarted = Instant.now().minusMillis(route.getUptimeMillis());
        try {
            if (!Instant.parse(replayedAt).isBefore(routeStarted)) {
                throw new AlreadyReplayed("dead letter " + exchange.getMessage().getHeader("CamelSpringRabbitmqMessageId")
                        + " was replayed at " + replayedAt + " by this run and failed again ("
                        + exchange.getMessage().getHeader(shop.platform.messaging.DeadLetters.REASON)
                        + "): it stays in " + dlq.queue());
            }
        } catch (DateTimeParseException e) {
            // not ours to judge: replay it
        }
    }

    public String now() {
        return Instant.now().toString();
    }

    /** A dead letter came round again in the same replay run: its cause is not fixed. */
    public static class AlreadyReplayed extends RuntimeException {
        public AlreadyReplayed(String message) {
            super(message, null, false, false);
        }
    }
}
