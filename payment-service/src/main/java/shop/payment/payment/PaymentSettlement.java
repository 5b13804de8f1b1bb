package shop.payment.payment;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import shop.contracts.payment.PaymentCompleted;
import shop.contracts.payment.PaymentRefunded;
import shop.contracts.payment.PaymentReply;
import shop.payment.config.PaymentProperties;
import shop.payment.provider.PaymentProvider;
import shop.payment.provider.ProviderRejectedException;
import shop.payment.provider.ProviderResult;
import shop.payment.provider.ProviderUnavailableException;
import shop.payment.provider.RefundResult;
import shop.platform.outbox.Outbox;

/**
 * Turns what the provider says into recorded state, shared by charge, refund, status and the reconciler.
 * Provider calls happen outside database transactions; each result is recorded under the payment's row lock
 * and only moves the row forward (PENDING -> COMPLETED/FAILED -> REFUNDED), so recording twice is harmless.
 * Every state change writes its event to the outbox in the same transaction.
 */
@Component
public class PaymentSettlement {

    /** Beyond the provider timeout, how long a charge call may still take to end (thread scheduling, DB). */
    private static final Duration CALL_GRACE = Duration.ofSeconds(1);

    private static final Logger log = LoggerFactory.getLogger(PaymentSettlement.class);

    private final PaymentStore store;
    private final Outbox outbox;
    private final PaymentProvider provider;
    private final PaymentMetrics metrics;
    private final TransactionTemplate tx;
    private final Duration providerTimeout;

    public PaymentSettlement(PaymentStore store, Outbox outbox, PaymentProvider provider, PaymentMetrics metrics,
                             PlatformTransactionManager transactions, PaymentProperties props) {
        this.store = store;
        this.outbox = outbox;
        this.provider = provider;
        this.metrics = metrics;
        this.tx = new TransactionTemplate(transactions);
        this.providerTimeout = props.providerTimeout();
    }

    /**
     * Records a definitive charge outcome. A success for an order that was compensated meanwhile (tombstone), or
     * for a payment already reported FAILED, is refunded at once: the money must not stay taken for an order
     * that will not be confirmed. A refund the provider cannot do right now is left to the reconciler.
     */
    public Settled record(UUID orderId, ProviderResult result) {
        /* now: the payment as this transaction left it (the row lock held until its end), so nothing is re-read */
        record Decision(boolean refundNow, boolean cancelled, Payment now) {
        }
        Decision decision = tx.execute(s -> {
            Payment p = store.lock(orderId).orElseThrow(() -> new IllegalStateException("no payment for order " + orderId));
            boolean cancelled = store.isCancelled(orderId);
            if (result.succeeded()) {
                switch (p.status()) {
                    case PENDING, FAILED -> {
                        Payment completed = store.markCompleted(p.paymentId(), result.providerRef());
                        outbox.add(PaymentCompleted.of(p.paymentId(), orderId, p.amount(), p.currency()));
                        metrics.event(PaymentCompleted.TYPE);
                        if (p.status() == PaymentStatus.FAILED) {
                            // it was answered FAILED before the provider's success became known: undo the charge
                            log.warn("payment {} of order {} was reported FAILED but the provider charged it ({}): refunding",
                                    p.paymentId(), orderId, result.providerRef());
                            store.cancel(orderId);
                            return new Decision(true, true, completed);
                        }
                        log.info("payment {} of order {} COMPLETED ({} {}, provider ref {})", p.paymentId(), orderId,
                                p.amount(), p.currency(), result.providerRef());
                        return new Decision(cancelled, cancelled, completed);
                    }
                    case COMPLETED -> {
                        return new Decision(cancelled, cancelled, p);
                    }
                    default -> {
                        return new Decision(false, cancelled, p);
                    }
                }
            }
            if (p.status() == PaymentStatus.PENDING) {
                Payment failed = store.markFailed(p.paymentId(), result.providerRef(), result.declineCode());
                log.info("payment {} of order {} FAILED: declined {}", p.paymentId(), orderId, result.declineCode());
                return new Decision(false, cancelled, failed);
            } else if (p.status() != PaymentStatus.FAILED) {
                log.error("provider declined payment {} of order {} that is recorded {}: left as recorded",
                        p.paymentId(), orderId, p.status());
            }
            return new Decision(false, cancelled, p);
        });
        if (decision.refundNow()) {
            log.info("order {} was compensated while its charge was in flight: refunding", orderId);
            try {
                return new Settled(refundCompleted(orderId), true);
            } catch (ProviderUnavailableException | ProviderRejectedException e) {
                log.warn("refund of order {} not done yet ({}); the reconciler retries it", orderId, e.getMessage());
                // the refund may have been recorded by someone else meanwhile: read what is there now
                return new Settled(current(orderId), decision.cancelled());
            }
        }
        return new Settled(decision.now(), decision.cancelled());
    }

    /**
     * Asks the provider what became of a PENDING payment's charge and records it. When the provider has no
     * charge under the key, the payment becomes FAILED ({@link PaymentReply#NOT_CHARGED}) if {@code compensating} (the order's
     * tombstone already stops a late success) or once the last charge call must have ended; before that it stays
     * PENDING.
     *
     * @throws ProviderUnavailableException when the provider cannot tell now
     */
    public Settled settlePending(Payment pending, boolean compensating) {
        // updated_at of a PENDING payment: its last charge attempt (a retry with the same key touches it)
        Optional<ProviderResult> found = provider.lookup(pending.chargeRequest(), pending.updatedAt());
        if (found.isPresent()) {
            return record(pending.orderId(), found.get());
        }
        boolean callEnded = pending.updatedAt().plus(providerTimeout).plus(CALL_GRACE).isBefore(Instant.now());
        if (!compensating && !callEnded) {
            return new Settled(pending, store.isCancelled(pending.orderId()));
        }
        Boolean changedMeanwhile = tx.execute(s -> {
            Payment p = store.lock(pending.orderId()).orElseThrow();
            if (p.status() != PaymentStatus.PENDING) {
                return true;
            }
            store.markFailed(p.paymentId(), null, PaymentReply.NOT_CHARGED);
            log.info("payment {} of order {} FAILED: the provider has no charge under {}", p.paymentId(), p.orderId(), p.idempotencyKey());
            return false;
        });
        Payment now = current(pending.orderId());
        if (Boolean.TRUE.equals(changedMeanwhile) && compensating && now.status() == PaymentStatus.COMPLETED) {
            return new Settled(refundCompleted(pending.orderId()), true);
        }
        return new Settled(now, store.isCancelled(pending.orderId()));
    }

    /**
     * Refunds a COMPLETED payment at the provider (idempotency key {@code refund-<orderId>}) and records it
     * REFUNDED with a {@code payment.refunded} event. Any other state is returned as it is.
     *
     * @throws ProviderUnavailableException when the provider cannot refund now (the payment stays COMPLETED)
     * @throws ProviderRejectedException    when the provider refuses the refund
     */
    public Payment refundCompleted(UUID orderId) {
        Payment p = current(orderId);
        if (p.status() != PaymentStatus.COMPLETED) {
            return p;
        }
        RefundResult refund = provider.refund(p.providerRef(), Payment.refundKey(orderId));
        return tx.execute(s -> {
            Payment locked = store.lock(orderId).orElseThrow();
            if (locked.status() == PaymentStatus.COMPLETED) {
                store.markRefunded(locked.paymentId(), refund.refundRef());
                outbox.add(PaymentRefunded.of(locked.paymentId(), orderId, locked.amount(), locked.currency()));
                metrics.event(PaymentRefunded.TYPE);
                log.info("payment {} of order {} REFUNDED ({} {}, refund ref {})", locked.paymentId(), orderId,
                        locked.amount(), locked.currency(), refund.refundRef());
            }
            return store.find(orderId).orElseThrow();
        });
    }

    private Payment current(UUID orderId) {
        return store.find(orderId).orElseThrow(() -> new IllegalStateException("no payment for order " + orderId));
    }
}
