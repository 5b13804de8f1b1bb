package shop.payment.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.UUID;

import jakarta.validation.Validation;
import jakarta.validation.ValidatorFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import shop.contracts.Message;
import shop.contracts.payment.ChargePayment;
import shop.platform.messaging.DeadLetters;
import shop.platform.messaging.MessageChecks;
import shop.platform.messaging.PermanentMessageFailure;

/**
 * The checks of a {@code payment.charge} once it has been read as a {@link ChargePayment}: its constraints, the
 * configured largest amount, the stored form of the currency; every rejection a permanent failure naming the
 * field. (What cannot even be read as the record - bad JSON, "100" for the amount - is PaymentServiceTest's.)
 */
class PaymentCommandsValidationTest {

    private static final ValidatorFactory VALIDATION = Validation.buildDefaultValidatorFactory();
    private static final UUID ORDER = UUID.randomUUID();

    private final PaymentCommands commands = new PaymentCommands(new MessageChecks(VALIDATION.getValidator()), 10_000);

    @AfterAll
    static void closeValidation() {
        VALIDATION.close();
    }

    private static ChargePayment charge(UUID orderId, String userId, Long amount, String currency, String paymentMethod) {
        return new ChargePayment(Message.newId(), ChargePayment.TYPE, Message.now(), Message.SCHEMA_VERSION, orderId, userId,
                amount, currency, paymentMethod);
    }

    @Test
    void acceptsAValidChargeAndNormalisesTheCurrency() {
        ChargeCommand c = commands.charge(charge(ORDER, "u1", 10_000L, "usd", "pm_card_visa"));

        assertThat(c).isEqualTo(new ChargeCommand(ORDER, "u1", 10_000, "USD", "pm_card_visa"));
    }

    @Test
    void theLargestAmountIsConfigured() {
        assertThat(commands.charge(charge(ORDER, "u1", 1L, "USD", "pm_card_visa")).amount()).isEqualTo(1);
        assertThatThrownBy(() -> commands.charge(charge(ORDER, "u1", 10_001L, "USD", "pm_card_visa")))
                .isInstanceOf(InvalidCommandException.class).hasMessageContaining("amount must be between 1 and 10000")
                .satisfies(e -> assertThat(DeadLetters.isPermanent(e)).isTrue());
    }

    @Test
    void namesEveryBadField() {
        assertThatThrownBy(() -> commands.charge(charge(null, " ", 0L, "DOLLAR", "x".repeat(101))))
                .isInstanceOf(PermanentMessageFailure.class)
                .hasMessageContaining("orderId must not be null")
                .hasMessageContaining("userId must not be blank")
                .hasMessageContaining("amount must be greater than 0")
                .hasMessageContaining("currency must be a 3-letter ISO 4217 code")
                .hasMessageContaining("paymentMethod size must be between 0 and 100")
                .satisfies(e -> assertThat(DeadLetters.isPermanent(e)).isTrue());
    }

    @Test
    void everyFieldIsRequired() {
        assertThatThrownBy(() -> commands.charge(charge(null, null, null, null, null)))
                .isInstanceOf(PermanentMessageFailure.class)
                .hasMessageContaining("orderId must not be null").hasMessageContaining("userId must not be blank")
                .hasMessageContaining("amount must not be null").hasMessageContaining("currency must not be null")
                .hasMessageContaining("paymentMethod must not be blank");
    }

    @Test
    void rejectsNoBodyAnotherTypeAndAnotherSchemaVersion() {
        assertThatThrownBy(() -> commands.charge(null)).isInstanceOf(PermanentMessageFailure.class);
        ChargePayment refund = new ChargePayment(Message.newId(), "payment.refund", Message.now(), 1, ORDER, "u1", 100L, "USD", "pm");
        assertThatThrownBy(() -> commands.charge(refund)).isInstanceOf(PermanentMessageFailure.class)
                .hasMessageContaining("type is 'payment.refund'");
        ChargePayment version2 = new ChargePayment(Message.newId(), ChargePayment.TYPE, Message.now(), 2, ORDER, "u1", 100L, "USD", "pm");
        assertThatThrownBy(() -> commands.charge(version2)).isInstanceOf(PermanentMessageFailure.class)
                .hasMessageContaining("schemaVersion 2");
    }

    @Test
    void anEnvelopeWithoutTypeOrVersionIsReadAsTheRoutingKeySays() {
        ChargePayment bare = new ChargePayment(null, null, null, null, ORDER, "u1", 100L, "eur", "pm_card_visa");
        assertThat(commands.charge(bare).currency()).isEqualTo("EUR");
    }
}
