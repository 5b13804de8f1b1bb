package shop.platform.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;


/** The retry arithmetic of every consumer: max-attempts=3 means three deliveries, and x-attempts says how many there were. */
class DeadLettersTest {

    private final CamelContext camel = new DefaultCamelContext();
    private final DeadLetters deadLetters = new DeadLetters(3);

    /** The exchange as the dead letter channel asks about it after the n-th failed delivery. */
    private Exchange failedDelivery(int n, RuntimeException failure) {
        Exchange exchange = new DefaultExchange(camel);
        exchange.getIn().setHeader(Exchange.REDELIVERY_COUNTER, n);
        exchange.setException(failure);
        return exchange;
    }

    @Test
    void aTransientFailureIsRetriedUntilTheThirdDelivery() {
        assertThat(deadLetters.matches(failedDelivery(1, new IllegalStateException("503 from the carrier")))).isTrue();
        assertThat(deadLetters.matches(failedDelivery(2, new IllegalStateException("503 from the carrier")))).isTrue();
        assertThat(deadLetters.matches(failedDelivery(3, new IllegalStateException("503 from the carrier")))).isFalse();
    }

    @Test
    void aPermanentFailureIsNeverRetried() {
        assertThat(deadLetters.matches(failedDelivery(1, new PermanentMessageFailure("400")))).isFalse();
    }

    @Test
    void theAttemptsSurviveTheResetToTheOriginalMessage() {
        Exchange exchange = failedDelivery(3, new IllegalStateException("503 from the carrier"));
        deadLetters.shouldRetry(exchange);
        exchange.getIn().removeHeaders("*");   // what useOriginalMessage does before onPrepareFailure

        deadLetters.process(exchange);

        assertThat(exchange.getIn().getHeader(DeadLetters.ATTEMPTS)).isEqualTo(3);
        assertThat(exchange.getIn().getHeader(DeadLetters.REASON, String.class)).contains("503");
        assertThat(exchange.getIn().getHeader(Exchange.REDELIVERY_COUNTER)).isNull();
    }
}
