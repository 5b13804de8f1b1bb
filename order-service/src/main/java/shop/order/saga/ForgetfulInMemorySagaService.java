package shop.order.saga;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.camel.Exchange;
import org.apache.camel.saga.CamelSagaCoordinator;
import org.apache.camel.saga.CamelSagaStep;
import org.apache.camel.saga.InMemorySagaCoordinator;
import org.apache.camel.saga.InMemorySagaService;

/**
 * Camel's in-memory saga service keeps every coordinator forever; this one forgets a saga once it has been
 * completed or its compensation started (its running compensation keeps its own reference). Durability does
 * not come from here but from the saga state in the order row and the recovery route (docs/adr/0003).
 * Its compensations run on a pool of its own with an unbounded queue.
 */
public class ForgetfulInMemorySagaService extends InMemorySagaService {

    private final Map<String, CamelSagaCoordinator> live = new ConcurrentHashMap<>();
    private final int threads;
    private ScheduledExecutorService compensations;

    public ForgetfulInMemorySagaService(int threads) {
        this.threads = threads;
    }

    /**
     * Compensations run on an unbounded queue: Camel's default scheduled pool refuses work past 1000 queued
     * tasks, and a refused compensation would wait for the recovery route instead of running now.
     */
    @Override
    public ScheduledExecutorService getExecutorService() {
        return compensations;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        AtomicInteger n = new AtomicInteger();
        compensations = Executors.newScheduledThreadPool(threads, r -> {
            Thread t = new Thread(r, "saga-compensation-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    protected void doStop() throws Exception {
        if (compensations != null) {
            compensations.shutdown();
            compensations.awaitTermination(10, TimeUnit.SECONDS);
        }
        super.doStop();
    }

    @Override
    public CompletableFuture<CamelSagaCoordinator> newSaga(Exchange exchange) {
        String id = getCamelContext().getUuidGenerator().generateUuid();
        CamelSagaCoordinator coordinator = new Forgetting(new InMemorySagaCoordinator(getCamelContext(), this, id));
        live.put(id, coordinator);
        return CompletableFuture.completedFuture(coordinator);
    }

    @Override
    public CompletableFuture<CamelSagaCoordinator> getSaga(String id) {
        return CompletableFuture.completedFuture(live.get(id));
    }

    int liveSagas() {
        return live.size();
    }

    private final class Forgetting implements CamelSagaCoordinator {
        private final CamelSagaCoordinator delegate;

        Forgetting(CamelSagaCoordinator delegate) {
            this.delegate = delegate;
        }

        @Override
        public String getId() {
            return delegate.getId();
        }

        @Override
        public CompletableFuture<Void> beginStep(Exchange exchange, CamelSagaStep step) {
            return delegate.beginStep(exchange, step);
        }

        @Override
        public CompletableFuture<Void> compensate(Exchange exchange) {
            live.remove(getId());
            return delegate.compensate(exchange);
        }

        @Override
        public CompletableFuture<Void> complete(Exchange exchange) {
            live.remove(getId());
            return delegate.complete(exchange);
        }
    }
}
