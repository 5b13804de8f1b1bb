package shop.platform.config;

import java.time.Duration;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.tracing.Tracer;
import jakarta.validation.Validator;
import org.apache.camel.spring.spi.SpringTransactionPolicy;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import shop.platform.inbox.InboxRepository;
import shop.platform.integrations.IntegrationsConfiguration;
import shop.platform.messaging.BrokerPoliciesProbe;
import shop.platform.messaging.CommandDeadline;
import shop.platform.messaging.MessageChecks;
import shop.platform.messaging.DeadLetters;
import shop.platform.messaging.MessagingProperties;
import shop.platform.messaging.QueueDeclarations;
import shop.platform.messaging.SharedTopology;
import shop.platform.outbox.Outbox;
import shop.platform.outbox.OutboxStore;
import shop.platform.resilience.BreakerProperties;
import shop.platform.resilience.ResilienceConfiguration;
import shop.platform.retention.Retention;
import shop.platform.retention.RetentionProperties;
import shop.platform.retention.RetentionTable;
import shop.platform.retention.RetentionWindow;
import shop.platform.routes.RoutesConfiguration;
import shop.platform.security.ProductionSecretsGuard;
import shop.platform.security.SecurityConfiguration;
import shop.platform.security.SecurityProperties;
import shop.platform.tracing.MicrometerTraceContext;
import shop.platform.tracing.TraceContext;
import shop.platform.tracing.TracingConfiguration;
import shop.platform.web.ApiExceptionHandler;
import shop.platform.web.ProbesController;
import shop.platform.web.ReadinessMetric;
import shop.platform.web.RequestSizeLimitFilter;
import shop.platform.web.StrictJson;
import shop.platform.web.openapi.ApiDocumentation;

/**
 * Everything a service gets by depending on {@code platform}: messaging topology, outbox and inbox,
 * dead-letter policy, security, probes, error mapping, circuit breaker registry. Bean names are the ones
 * the YAML routes refer to ({@code outboxStore}, {@code inbox}, {@code deadLetters}, ...).
 */
@AutoConfiguration(beforeName = {
        "org.springframework.boot.actuate.autoconfigure.security.servlet.ManagementWebSecurityAutoConfiguration",
        "org.springframework.boot.autoconfigure.security.servlet.SecurityAutoConfiguration",
        "org.springframework.boot.autoconfigure.security.servlet.UserDetailsServiceAutoConfiguration",
        "org.springframework.boot.autoconfigure.security.oauth2.resource.servlet.OAuth2ResourceServerAutoConfiguration"})
@EnableConfigurationProperties({MessagingProperties.class, SecurityProperties.class, BreakerProperties.class, RetentionProperties.class})
@Import({SecurityConfiguration.class, ResilienceConfiguration.class, TracingConfiguration.class, ApiExceptionHandler.class,
        ProbesController.class, RoutesConfiguration.class, IntegrationsConfiguration.class, ApiDocumentation.class})
public class PlatformAutoConfiguration {

    @Bean
    static ProductionSecretsGuard productionSecretsGuard(Environment env) {
        return new ProductionSecretsGuard(env);
    }

    @Bean
    Declarables sharedTopology() {
        return SharedTopology.declarables();
    }

    /**
     * The service's RabbitAdmin - which camel-spring-rabbitmq also uses for a route's {@code autoDeclare} - logs a
     * declaration the broker refuses as inequivalent (an exchange or queue left with the arguments of an earlier
     * version, docs/deployment.md) and goes on with the next, instead of failing the route or the service.
     */
    @Bean
    static BeanPostProcessor tolerantRabbitAdmin() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                if (bean instanceof RabbitAdmin admin) {
                    admin.setIgnoreDeclarationExceptions(true);
                }
                return bean;
            }
        };
    }

    /** {@code /ready} only on a broker that has the policies (config/rabbitmq/definitions.json). */
    @Bean
    BrokerPoliciesProbe brokerPoliciesProbe(ConnectionFactory connections, Environment env) {
        return new BrokerPoliciesProbe(connections, env.getProperty("shop.messaging.policy-recheck-ms", Long.class, 10_000L));
    }

    @Bean
    QueueDeclarations queueDeclarations(MessagingProperties props) {
        return new QueueDeclarations(props);
    }

    @Bean
    @ConditionalOnMissingBean
    TraceContext traceContext(ObjectProvider<Tracer> tracer) {
        Tracer t = tracer.getIfAvailable();
        return t == null ? () -> null : new MicrometerTraceContext(t);
    }

    @Bean
    Outbox outbox(JdbcTemplate jdbc, ObjectMapper json, TraceContext trace) {
        return new Outbox(jdbc, json, trace);
    }

    @Bean
    OutboxStore outboxStore(JdbcTemplate jdbc, Environment env, MeterRegistry meters) {
        OutboxStore store = new OutboxStore(jdbc, env.getProperty("shop.outbox.batch-size", Integer.class, 100));
        Gauge.builder("shop.outbox.backlog", store, OutboxStore::backlog)
                .description("events written but not yet confirmed by the broker").register(meters);
        return store;
    }

    @Bean(destroyMethod = "close")
    ReadinessMetric readinessMetric(ProbesController probes, MeterRegistry meters, Environment env) {
        return new ReadinessMetric(probes::isReady, meters, env.getProperty("shop.ready.metric-interval-ms", Long.class, 5000L));
    }

    @Bean
    InboxRepository inboxRepository(JdbcTemplate jdbc, Environment env, MeterRegistry meters) {
        return new InboxRepository(jdbc, env.getRequiredProperty("shop.service-name"), meters);
    }

    /** Every service's inbox: the rows that deduplicate redelivered and replayed messages. */
    @Bean
    RetentionTable inboxRetention() {
        return RetentionTable.of("inbox", "processed_at");
    }

    /** A dead letter replayed later than this may find its inbox row gone and be processed a second time. */
    @Bean
    RetentionWindow replayRetentionWindow(RetentionProperties props) {
        return new RetentionWindow("SHOP_REPLAY_WINDOW", props.replayWindow(),
                "dead letters replayed up to this old must still find their inbox rows");
    }

    /** A message being retried (DEADLETTER_MAX_ATTEMPTS, exponential backoff capped at 30 s) is that late at most. */
    @Bean
    RetentionWindow redeliveryRetentionWindow(Environment env) {
        int attempts = env.getProperty("shop.deadletter.max-attempts", Integer.class, 5);
        long delay = env.getProperty("shop.deadletter.initial-delay-ms", Long.class, 500L);
        long total = 0;
        for (int i = 1; i < attempts; i++, delay = Math.min(delay * 2, 30_000)) {
            total += Math.min(delay, 30_000);
        }
        return new RetentionWindow("DEADLETTER_MAX_ATTEMPTS x DEADLETTER_INITIAL_DELAY_MS", Duration.ofMillis(total),
                "a consumer's redeliveries of one message before it is dead-lettered");
    }

    /** A command is acted on until its deadline; a tombstone must outlive the longest one. */
    @Bean
    RetentionWindow commandDeadlineRetentionWindow(Environment env) {
        return new RetentionWindow("SAGA_REPLY_TIMEOUT_MS", Duration.ofMillis(env.getProperty("shop.retention.command-deadline-ms", Long.class, 3000L)),
                "a command is acted on until its deadline, the requester's reply timeout");
    }

    @Bean
    Retention retention(RetentionProperties props, JdbcTemplate jdbc, ObjectProvider<RetentionTable> tables,
                        ObjectProvider<RetentionWindow> windows, MeterRegistry meters) {
        return new Retention(props, jdbc, tables.orderedStream().toList(), windows.orderedStream().toList(), meters);
    }

    @Bean
    MessageChecks messageChecks(Validator validator) {
        return new MessageChecks(validator);
    }

    @Bean
    CommandDeadline commandDeadline() {
        return new CommandDeadline();
    }

    @Bean
    DeadLetters deadLetters(Environment env) {
        return new DeadLetters(env.getProperty("shop.deadletter.max-attempts", Integer.class, 5));
    }

    /** The policy {@code transacted} steps in YAML routes use. */
    @Bean(name = "PROPAGATION_REQUIRED")
    SpringTransactionPolicy propagationRequired(PlatformTransactionManager tm) {
        SpringTransactionPolicy policy = new SpringTransactionPolicy(tm);
        policy.setPropagationBehaviorName("PROPAGATION_REQUIRED");
        return policy;
    }

    /**
     * The outbox relay's transaction: a batch of {@code shop.outbox.batch-size} publishes, each waiting up to 5 s for
     * its confirm, takes longer than the default transaction timeout allows, which would roll back every large
     * batch for ever. It holds only its own outbox rows (SKIP LOCKED), nothing a saga waits for.
     */
    @Bean(name = "OUTBOX_TRANSACTION")
    SpringTransactionPolicy outboxTransaction(PlatformTransactionManager tm, Environment env) {
        TransactionTemplate template = new TransactionTemplate(tm);
        template.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRED);
        template.setTimeout(env.getProperty("shop.outbox.transaction-timeout-seconds", Integer.class, 60));
        return new SpringTransactionPolicy(template);
    }

    @Bean
    StrictJson strictJson() {
        return new StrictJson();
    }

    @Bean
    FilterRegistrationBean<RequestSizeLimitFilter> requestSizeLimit(Environment env) {
        long limit = env.getProperty("shop.web.max-body-bytes", Long.class, 64L * 1024);
        // hawtio's Jolokia requests while it loads the JMX tree: about 230 KB for the order service
        long consoleLimit = env.getProperty("shop.web.console-max-body-bytes", Long.class, 2L * 1024 * 1024);
        FilterRegistrationBean<RequestSizeLimitFilter> bean = new FilterRegistrationBean<>(new RequestSizeLimitFilter(limit, consoleLimit));
        // first but for a service's own outermost filters (e.g. counting what it refuses)
        bean.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        return bean;
    }
}
