package shop.platform.inbox;

import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.NamedNode;
import org.apache.camel.Processor;
import org.apache.camel.Route;
import org.apache.camel.spi.TransactedPolicy;
import org.apache.camel.spi.UnitOfWork;
import org.apache.camel.support.processor.DelegateAsyncProcessor;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Bean {@code inboxTransactionPolicy}: the policy of the {@code transacted} step in route
 * {@code shop-integration-inbox} (routes/platform/integrations.yaml), the inbox every event subscription
 * (template {@code shop-event-subscription}) hands its events through. It runs the rest of the route - the
 * inbox row and the handler - in one Spring transaction (PROPAGATION_REQUIRED) and rolls it back when the
 * exchange failed, leaving the failure on the exchange exactly as it was thrown.
 *
 * <p>Why not the platform's {@code PROPAGATION_REQUIRED} ({@code SpringTransactionPolicy}): that one wraps the
 * block in Camel's TransactionErrorHandler, which marks a failed exchange "redelivery exhausted" after its
 * single attempt. The calling route's dead letter channel ({@code message-consumer}) then neither retries nor
 * dead-letters it - the listener rejects the message and RabbitMQ dead-letters it natively, without
 * {@code x-failure-reason} or attempt count, and a transient failure is never retried (docs/camel-notes.md, 6).
 * With this policy the caller's redelivery re-runs {@code direct:shop-integration-inbox} from the top, each
 * attempt in a new transaction (a failed PostgreSQL statement aborts its transaction, so retrying inside it
 * could not work).
 */
public class InboxTransactionPolicy implements TransactedPolicy {

    private final TransactionTemplate template;

    public InboxTransactionPolicy(PlatformTransactionManager transactionManager) {
        this.template = new TransactionTemplate(transactionManager);
        this.template.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRED);
        this.template.setName("inbox-transaction");
    }

    @Override
    public void beforeWrap(Route route, NamedNode definition) {
        // nothing to prepare
    }

    @Override
    public Processor wrap(Route route, Processor processor) {
        return new TransactedBlock(template, processor);
    }

    /** The rest of the route inside one transaction; Camel's delegate starts, stops and navigates the steps it wraps. */
    static final class TransactedBlock extends DelegateAsyncProcessor {

        private final TransactionTemplate template;
        private final String key;

        TransactedBlock(TransactionTemplate template, Processor output) {
            super(output);
            this.template = template;
            this.key = "inbox-transaction@" + System.identityHashCode(this);
        }

        @Override
        public boolean process(Exchange exchange, AsyncCallback callback) {
            // synchronously, on this thread: a Spring transaction is bound to the thread that began it
            UnitOfWork uow = exchange.getUnitOfWork();
            if (uow != null) {
                uow.beginTransactedBy(key);
            }
            try {
                template.executeWithoutResult(status -> {
                    try {
                        processor.process(exchange);
                    } catch (Exception e) {
                        exchange.setException(e);
                    }
                    if (exchange.getException() != null || exchange.isRollbackOnly() || exchange.isRollbackOnlyLast()) {
                        status.setRollbackOnly();
                    }
                });
            } catch (RuntimeException e) {
                // begin or commit failed (database gone, serialization failure): the effect did not happen
                if (exchange.getException() == null) {
                    exchange.setException(e);
                }
            } finally {
                if (uow != null) {
                    uow.endTransactedBy(key);
                }
            }
            callback.done(true);
            return true;
        }

        @Override
        public String toString() {
            return "InboxTransaction[" + processor + "]";
        }
    }
}
