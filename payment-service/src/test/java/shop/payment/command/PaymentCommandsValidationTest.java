package shop.payment.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import shop.platform.messaging.DeadLetters;

/** Command validation on its own: what is accepted, and that every rejection is a permanent failure. */
class PaymentCommandsValidationTest {

    private final PaymentCommands commands = new PaymentCommands(10_000);

    private static Map<String, Object> charge() {
        Map<String, Object> m = new HashMap<>();
        m.put("orderId", UUID.randomUUID().toString());
        m.put("userId", "u1");
        m.put("amount", 10_000);
        m.put("currency", "usd");
        m.put("paymentMethod", "pm_card_visa");
        m.put("type", "payment.charge");
        return m;
    }

    @Test
    void acceptsAValidChargeAndNormalisesTheCurrency() {
        Map<String, Object> body = charge();
        ChargeCommand c = commands.charge(body);
        assertThat(c.orderId()).hasToString((String) body.get("orderId"));
        assertThat(c.amount()).isEqualTo(10_000);
        assertThat(c.currency()).isEqualTo("USD");
    }

    @Test
    void acceptsLongAndBigIntegerAmounts() {
        Map<String, Object> body = charge();
        body.put("amount", 5L);
        assertThat(commands.charge(body).amount()).isEqualTo(5);
        body.put("amount", BigInteger.ONE);
        assertThat(commands.charge(body).amount()).isEqualTo(1);
    }

    @Test
    void namesEveryBadField() {
        Map<String, Object> body = charge();
        body.put("amount", 10_001);
        body.put("currency", "DOLLAR");
        body.put("orderId", "abc");
        assertThatThrownBy(() -> commands.charge(body)).isInstanceOf(InvalidCommandException.class)
                .hasMessageContaining("amount").hasMessageContaining("currency").hasMessageContaining("orderId")
                .satisfies(e -> assertThat(DeadLetters.isPermanent(e)).isTrue());
    }

    @Test
    void rejectsAMissingBodyAndAnOrderIdThatIsNotCanonical() {
        assertThatThrownBy(() -> commands.orderId(null)).isInstanceOf(InvalidCommandException.class);
        assertThatThrownBy(() -> commands.orderId(Map.of("orderId", "1-2-3-4-5"))).isInstanceOf(InvalidCommandException.class);
        assertThatThrownBy(() -> commands.orderId(Map.of("orderId", 42))).isInstanceOf(InvalidCommandException.class);
    }
}
