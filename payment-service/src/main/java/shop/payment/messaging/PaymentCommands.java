package shop.payment.messaging;

import java.util.Locale;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

import shop.contracts.payment.ChargePayment;
import shop.payment.config.PaymentProperties;
import shop.platform.messaging.MessageChecks;

/**
 * Checks a {@code payment.charge} before anything is recorded (docs/messaging.md, payment): the constraints of
 * {@link ChargePayment} (bean {@code messageChecks}: every bad field named), then what they cannot say - the
 * largest amount this deployment takes ({@code PAYMENT_MAX_AMOUNT}) - and gives the charge its stored form (currency
 * upper case). A charge that fails can never succeed: {@link InvalidCommandException}, answered INVALID_COMMAND.
 * Refund and status carry only their orderId; their handlers check them with {@code messageChecks} alone.
 */
@Component
public class PaymentCommands {

    private final MessageChecks checks;
    private final long maxAmount;

    @Autowired
    public PaymentCommands(MessageChecks checks, PaymentProperties props) {
        this(checks, props.maxAmount());
    }

    PaymentCommands(MessageChecks checks, long maxAmount) {
        this.checks = checks;
        this.maxAmount = maxAmount;
    }

    public ChargeCommand charge(ChargePayment command) {
        checks.check(command, ChargePayment.TYPE);
        if (command.amount() > maxAmount) {
            throw new InvalidCommandException("invalid " + ChargePayment.TYPE + " " + command.messageId()
                    + ": amount must be between 1 and " + maxAmount);
        }
        return new ChargeCommand(command.orderId(), command.userId(), command.amount(),
                command.currency().toUpperCase(Locale.ROOT), command.paymentMethod());
    }
}
