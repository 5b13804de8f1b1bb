package shop.order.config;

import java.io.IOException;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.support.ResourcePropertySource;
import org.springframework.mock.env.MockEnvironment;

import shop.order.config.SagaLeaseCheck.Timeouts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The lease rule of docs/saga.md ("Timeouts and the stale window") on its own: no broker, no database. */
class SagaLeaseCheckTest {

    /** 3000 + 3000 + 1000 + 10 000 + 7000 + 1000 = 25 000 ms of silence at most, in a 30 s window. */
    static final Timeouts DEFAULTS = new Timeouts(30_000, 3000, 3000, 1000, 10_000, 7000, 5000);

    @Test
    void theShippedDefaultsKeepTheRule() throws IOException {
        Timeouts shipped = Timeouts.of(shippedDefaults());

        assertThat(shipped).isEqualTo(DEFAULTS);
        assertThat(shipped.longestSilenceMs()).isEqualTo(25_000);
        assertThat(shipped.problems()).isEmpty();
    }

    @Test
    void aWindowExactlyAsLongAsTheLongestSilenceIsEnoughAndOneMillisecondLessIsNot() {
        assertThat(with(20_000, 3000, 3000, 7000, 5000).problems()).isEmpty();

        assertThat(with(19_999, 3000, 3000, 7000, 5000).problems()).singleElement().asString()
                .contains("SAGA_STALE_AFTER_SECONDS (19999 ms)").contains("= 20000 ms");
    }

    @Test
    void eachWaitCountsAgainstTheWindow() {
        assertThat(with(30_000, 14_000, 3000, 7000, 5000).problems()).singleElement().asString()
                .contains("SAGA_REPLY_TIMEOUT_MS (14000)");
        assertThat(with(30_000, 3000, 14_000, 7000, 5000).problems()).singleElement().asString()
                .contains("DB_CONNECTION_TIMEOUT_MS (14000)");
        assertThat(with(30_000, 3000, 3000, 18_000, 5000).problems()).singleElement().asString()
                .contains("DB_SOCKET_TIMEOUT_SECONDS (18000)");
        assertThat(new Timeouts(30_000, 3000, 3000, 1000, 16_000, 7000, 5000).problems()).singleElement().asString()
                .contains("DB_TRANSACTION_TIMEOUT_SECONDS (16000)");
        // the old defaults: a 30 s pool wait alone fills the 30 s window
        assertThat(with(30_000, 3000, 30_000, 7000, 5000).problems()).isNotEmpty();
    }

    @Test
    void aTimeoutOfZeroIsAWaitForEver() {
        assertThat(with(30_000, 3000, 3000, 0, 5000).problems()).singleElement().asString()
                .contains("DB_SOCKET_TIMEOUT_SECONDS must be set above 0");
        assertThat(with(30_000, 3000, 3000, 7000, 0).problems()).singleElement().asString()
                .contains("DB_STATEMENT_TIMEOUT_MS must be set above 0");
        assertThat(new Timeouts(30_000, 3000, 3000, 1000, -1, 7000, 5000).problems()).singleElement().asString()
                .contains("DB_TRANSACTION_TIMEOUT_SECONDS must be set above 0");
    }

    @Test
    void theServerCancelsAStatementBeforeTheSocketGivesUp() {
        assertThat(with(30_000, 3000, 3000, 7000, 7000).problems()).singleElement().asString()
                .contains("DB_STATEMENT_TIMEOUT_MS (7000) must be below DB_SOCKET_TIMEOUT_SECONDS (7000 ms)");
    }

    @Test
    void theServiceRefusesToStartNamingTheVariables() throws IOException {
        MockEnvironment env = shippedDefaults();
        env.setProperty("shop.saga.stale-after-seconds", "5");
        SagaLeaseCheck check = new SagaLeaseCheck();
        check.setEnvironment(env);

        assertThatThrownBy(() -> check.postProcessBeanFactory(new DefaultListableBeanFactory()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("refusing to start")
                .hasMessageContaining("SAGA_STALE_AFTER_SECONDS (5000 ms) must be at least")
                .hasMessageContaining("SAGA_REPLY_TIMEOUT_MS").hasMessageContaining("DB_CONNECTION_TIMEOUT_MS")
                .hasMessageContaining("DB_TRANSACTION_TIMEOUT_SECONDS").hasMessageContaining("DB_SOCKET_TIMEOUT_SECONDS");
    }

    @Test
    void theServiceStartsWithTheDefaults() throws IOException {
        SagaLeaseCheck check = new SagaLeaseCheck();
        check.setEnvironment(shippedDefaults());

        check.postProcessBeanFactory(new DefaultListableBeanFactory());
    }

    /** stale, reply, pool wait, socket, statement; 1000 validation, 5000 transaction. */
    private static Timeouts with(long stale, long reply, long pool, long socket, long statement) {
        return new Timeouts(stale, reply, pool, 1000, 5000, socket, statement);
    }

    /** The order service's application.properties over the platform's defaults, with no variable set. */
    private static MockEnvironment shippedDefaults() throws IOException {
        MockEnvironment env = new MockEnvironment();
        env.getPropertySources().addLast(new ResourcePropertySource(new ClassPathResource("application.properties")));
        env.getPropertySources().addLast(new ResourcePropertySource(new ClassPathResource("shop-platform.properties")));
        return env;
    }
}
