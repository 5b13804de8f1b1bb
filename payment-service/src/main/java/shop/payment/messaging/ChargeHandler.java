package shop.payment.messaging;

import java.util.Locale;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import shop.contracts.Reply;
import shop.contracts.payment.ChargePayment;
import shop.contracts.payment.PaymentReply;
import shop.payment.payment.Payment;
import shop.payment.payment.PaymentMetrics;
import shop.payment.payment.PaymentSettlement;
import shop.payment.payment.PaymentStore;
import shop.payment.payment.Settled;
import shop.payment.provider.PaymentProvider;
import shop.payment.provider.ProviderRejectedException;
import shop.payment.provider.ProviderResult;
import shop.payment.provider.ProviderUnavailableException;
import shop.platform.messaging.PermanentMessageFailure;

/**
 * {@code payment.charge} (bean {@code chargeHandler}). Idempotent by order: the intent is recorded PENDING and
 * committed before the provider is called with the key {@code order-<orderId>}; the outcome is recorded in a
 * second transaction with {@code payment.completed} in the outbox. A repeated command answers the recorded
 * outcome, or retries a still PENDING charge with the same key. An order already compensated (refund tombstone)
 * is refused {@code ORDER_COMPENSATED} and never charged.
 */
@Component
public class ChargeHandler {

    private static final Logger log = LoggerFactory.getLogger(ChargeHandler.class);

    private final PaymentCommands commands;
    private final PaymentStore store;
    private final PaymentProvider provider;
    private final PaymentSettlement settlement;
    private final PaymentMetrics metrics;
    private final TransactionTemplate tx;

    public ChargeHandler(PaymentCommands commands, PaymentStore store, PaymentProvider provider, PaymentSettlement settlement,
                         PaymentMetrics metrics, PlatformTransactionManager transactions) {
        this.commands = commands;
        this.store = store;
        this.provider = provider;
        this.settlement = settlement;
        this.metrics = metrics;
        this.tx = new TransactionTemplate(transactions);
    }

    public PaymentReply charge(ChargePayment body) {
        ChargeCommand command;
        try {
            command = commands.charge(body);
        } catch (PermanentMessageFailure e) {
            metrics.charge("invalid");
            throw e;
        }
        PaymentReply reply = charge(command);
        metrics.charge(reply.status().toLowerCase(Locale.ROOT));
        return reply;
    }

    private PaymentReply charge(ChargeCommand c) {
        // tx1: refuse a compensated order, or record the intent - committed before the provider hears of it
        record Start(Payment payment, PaymentReply answer) {
        }
        Start start = tx.execute(s -> {
            if (store.isCancelled(c.orderId())) {
                return new Start(null, PaymentReply.refused(c.orderId(), Reply.ORDER_COMPENSATED));
            }
            boolean created = store.insertPending(UUID.randomUUID(), c.orderId(), c.userId(), c.amount(), c.currency(), c.paymentMethod());
            Payment p = store.lock(c.orderId()).orElseThrow();
            if (!created && (p.amount() != c.amount() || !p.currency().equals(c.currency()))) {
                log.warn("payment.charge for order {} repeated with {} {} but {} {} is recorded: the recorded payment counts",
                        c.orderId(), c.amount(), c.currency(), p.amount(), p.currency());
            }
            return switch (p.status()) {
                case COMPLETED -> new Start(p, reply(PaymentReply.COMPLETED, p));
                case FAILED -> new Start(p, declined(p));
                case REFUNDED -> new Start(p, PaymentReply.refused(c.orderId(), Reply.ORDER_COMPENSATED));
                case PENDING -> {
                    if (!created) {
                        store.touch(p.paymentId());
                        log.info("payment.charge for order {}: payment {} still PENDING, retrying with key {}",
                                c.orderId(), p.paymentId(), p.idempotencyKey());
                    }
                    yield new Start(p, null);
                }
            };
        });
        if (start.answer() != null) {
            return start.answer();
        }
        Payment pending = start.payment();

        ProviderResult result;
        try {
            result = provider.charge(pending.chargeRequest());
        } catch (ProviderUnavailableException e) {
            log.warn("payment {} of order {} left PENDING: provider outcome unknown ({})",
                    pending.paymentId(), pending.orderId(), e.getMessage());
            return reply(PaymentReply.PENDING, pending);
        } catch (ProviderRejectedException e) {
            metrics.charge("error");
            throw e;
        }

        // tx2 (inside record): lock, re-check the tombstone, record the outcome and its event
        Settled settled = settlement.record(pending.orderId(), result);
        Payment p = settled.payment();
        return switch (p.status()) {
            case COMPLETED -> settled.cancelled()
                    ? PaymentReply.refused(p.orderId(), Reply.ORDER_COMPENSATED)
                    : reply(PaymentReply.COMPLETED, p);
            case FAILED -> declined(p);
            case REFUNDED -> PaymentReply.refused(p.orderId(), Reply.ORDER_COMPENSATED);
            case PENDING -> reply(PaymentReply.PENDING, p);
        };
    }

    private static PaymentReply reply(String status, Payment p) {
        return PaymentReply.of(status, p.orderId(), p.paymentId());
    }

    private static PaymentReply declined(Payment p) {
        return PaymentReply.declined(PaymentReply.DECLINED, p.orderId(), p.paymentId(), p.declineCode());
    }
}
