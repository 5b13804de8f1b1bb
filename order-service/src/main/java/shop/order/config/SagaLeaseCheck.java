package shop.order.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Refuses to start when a saga's lease can expire while its holder may still legally be waiting (docs/saga.md,
 * "Timeouts and the stale window"). Recovery takes over an order whose row has been silent for the stale window;
 * between two writes to the row a live saga may wait for a participant's reply, for a pooled connection (and its
 * validation), for its transaction, and for one read on a connection that died. The stale window must cover all of
 * that plus a margin:
 *
 * <pre>
 * SAGA_STALE_AFTER_SECONDS x 1000 >= SAGA_REPLY_TIMEOUT_MS + DB_CONNECTION_TIMEOUT_MS + pool validation timeout
 *                                   + DB_TRANSACTION_TIMEOUT_SECONDS x 1000 + DB_SOCKET_TIMEOUT_SECONDS x 1000 + 1000
 * DB_STATEMENT_TIMEOUT_MS < DB_SOCKET_TIMEOUT_SECONDS x 1000, every one of them set (0 would mean "wait forever")
 * </pre>
 *
 * Runs before any bean that connects anywhere; a violation stops the start with one message naming the variables.
 */
@Component
public class SagaLeaseCheck implements BeanFactoryPostProcessor, EnvironmentAware {

    /** Scheduling, an ordinary GC pause, clocks read at slightly different moments. */
    public static final long MARGIN_MS = 1000;

    private static final Logger log = LoggerFactory.getLogger(SagaLeaseCheck.class);

    private Environment env;

    /** The settings the rule reads, in milliseconds. */
    public record Timeouts(long staleAfterMs, long replyTimeoutMs, long poolWaitMs, long poolValidationMs,
                           long transactionTimeoutMs, long socketTimeoutMs, long statementTimeoutMs) {

        /** The longest a live saga may legally stay silent between two writes to its order's row. */
        public long longestSilenceMs() {
            return replyTimeoutMs + poolWaitMs + poolValidationMs + transactionTimeoutMs + socketTimeoutMs + MARGIN_MS;
        }

        /** What is wrong with these settings; empty when the lease rule holds. */
        public List<String> problems() {
            List<String> problems = new ArrayList<>();
            unbounded(problems, "SAGA_REPLY_TIMEOUT_MS", replyTimeoutMs);
            unbounded(problems, "DB_CONNECTION_TIMEOUT_MS", poolWaitMs);
            unbounded(problems, "DB_TRANSACTION_TIMEOUT_SECONDS", transactionTimeoutMs);
            unbounded(problems, "DB_SOCKET_TIMEOUT_SECONDS", socketTimeoutMs);
            unbounded(problems, "DB_STATEMENT_TIMEOUT_MS", statementTimeoutMs);
            if (!problems.isEmpty()) {
                return problems;
            }
            if (staleAfterMs < longestSilenceMs()) {
                problems.add("SAGA_STALE_AFTER_SECONDS (" + staleAfterMs + " ms) must be at least SAGA_REPLY_TIMEOUT_MS ("
                        + replyTimeoutMs + ") + DB_CONNECTION_TIMEOUT_MS (" + poolWaitMs + ") + pool validation ("
                        + poolValidationMs + ") + DB_TRANSACTION_TIMEOUT_SECONDS (" + transactionTimeoutMs
                        + ") + DB_SOCKET_TIMEOUT_SECONDS (" + socketTimeoutMs + ") + margin (" + MARGIN_MS + ") = "
                        + longestSilenceMs() + " ms: otherwise recovery can take over a saga whose holder is still waiting");
            }
            if (statementTimeoutMs >= socketTimeoutMs) {
                problems.add("DB_STATEMENT_TIMEOUT_MS (" + statementTimeoutMs + ") must be below DB_SOCKET_TIMEOUT_SECONDS ("
                        + socketTimeoutMs + " ms): a slow statement is to be cancelled by the server, not cut off with its connection");
            }
            return problems;
        }

        private static void unbounded(List<String> problems, String variable, long ms) {
            if (ms <= 0) {
                problems.add(variable + " must be set above 0 (" + ms + " means: wait for ever)");
            }
        }

        /** The effective settings of an environment (the properties the variables feed, docs in the README). */
        public static Timeouts of(Environment env) {
            Binder binder = Binder.get(env);
            return new Timeouts(
                    required(env, "shop.saga.stale-after-seconds") * 1000,
                    required(env, "shop.saga.reply-timeout-ms"),
                    required(env, "spring.datasource.hikari.connection-timeout"),
                    env.getProperty("spring.datasource.hikari.validation-timeout", Long.class, 5000L),
                    binder.bind("spring.transaction.default-timeout", Duration.class).map(Duration::toMillis).orElse(-1L),
                    required(env, "shop.db.socket-timeout-seconds") * 1000,
                    required(env, "shop.db.statement-timeout-ms"));
        }

        private static long required(Environment env, String property) {
            Long value = env.getProperty(property, Long.class);
            return value == null ? -1 : value;
        }
    }

    @Override
    public void setEnvironment(Environment environment) {
        this.env = environment;
    }

    @Override
    public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
        Timeouts timeouts = Timeouts.of(env);
        List<String> problems = timeouts.problems();
        if (!problems.isEmpty()) {
            String message = "refusing to start: a saga's lease could expire while its holder may still be waiting "
                    + "(docs/saga.md, \"Timeouts and the stale window\"): " + String.join("; ", problems);
            log.error(message);
            throw new IllegalStateException(message);
        }
        log.info("saga lease: stale after {} ms, a live saga is silent at most {} ms", timeouts.staleAfterMs(), timeouts.longestSilenceMs());
    }
}
