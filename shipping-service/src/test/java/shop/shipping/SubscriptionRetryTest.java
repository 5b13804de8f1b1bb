package shop.shipping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import shop.platform.testing.BrokerPolicies;
import shop.platform.testing.LocalBroker;
import shop.shipping.support.IntegrationRouteFiles;

/**
 * An event subscription of a route file (template shop-event-subscription, beside shipping's own) whose handler
 * fails twice with a transient error is retried by the subscription's dead letter channel - each attempt from the
 * top, in a new inbox transaction (bean inboxTransactionPolicy) - and handled on the third, once: no dead letter,
 * one inbox row. With Camel's transaction error handler around the inbox the first failure ended it in the DLQ.
 */
@SpringBootTest(properties = {"shop.db.name=shipping_test_subscription_retry", "shop.routes.poll-interval-ms=200",
        "shop.deadletter.initial-delay-ms=100"})
class SubscriptionRetryTest {

    static final String ROUTE = "retry-test-subscription";
    static final String QUEUE = "integrations.retry-test.order-confirmed";
    static final Path OUT = IntegrationRouteFiles.outDir();
    static String vhost;

    @DynamicPropertySource
    static void broker(DynamicPropertyRegistry registry) {
        vhost = BrokerPolicies.freshVhost("subscription-retry", true);
        registry.add("spring.rabbitmq.virtual-host", () -> vhost);
        registry.add("shop.routes.dir", () -> routesDir().toString());
    }

    static Path routesDir() {
        try {
            Path dir = Files.createTempDirectory("shop-routes-");
            Files.writeString(dir.resolve("retry-test.yaml"), """
                    - templatedRoute:
                        routeTemplateRef: shop-event-subscription
                        routeId: %s
                        parameters:
                          - {name: eventType, value: order.confirmed}
                          - {name: queue, value: %s}
                          - {name: handler, value: "direct:retry-test-handler"}

                    - route:
                        id: retry-test-handler
                        routeConfigurationId: integration-step
                        from:
                          uri: direct:retry-test-handler
                          steps:
                            - filter:
                                simple: "${header.CamelRedeliveryCounter} == null || ${header.CamelRedeliveryCounter} < 2"
                                steps:
                                  - throwException:
                                      exceptionType: java.lang.IllegalStateException
                                      message: "partner unavailable (delivery ${header.CamelRedeliveryCounter})"
                            - setBody:
                                simple: "${header.messageId} after ${header.CamelRedeliveryCounter} redeliveries"
                            - to: file:%s
                    """.formatted(ROUTE, QUEUE, OUT));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @AfterAll
    static void deleteVhost() {
        BrokerPolicies.deleteVhost(vhost);
    }

    @Autowired CamelContext camel;
    @Autowired JdbcTemplate jdbc;

    @Test
    void aTransientFailureOfAHandlerIsRetriedAndTheEventHandledOnce() throws Exception {
        await().atMost(Duration.ofSeconds(30)).until(() -> camel.getRouteController().getRouteStatus(ROUTE) == ServiceStatus.Started);

        String messageId = IntegrationRouteFiles.publishOrderConfirmed(vhost, UUID.randomUUID());

        IntegrationRouteFiles.awaitWritten(OUT, messageId + " after 2 redeliveries");
        await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.queryForObject(
                "SELECT count(*) FROM inbox WHERE message_id = ?", Integer.class, QUEUE + ":" + messageId) == 1);
        try (var files = Files.list(OUT)) {
            assertThat(files.filter(Files::isRegularFile).count()).as("handled once").isEqualTo(1);
        }
        try (Connection c = LocalBroker.factory(vhost).newConnection(); Channel ch = c.createChannel()) {
            assertThat(ch.queueDeclarePassive(QUEUE + ".dlq").getMessageCount()).as("dead letters").isZero();
            assertThat(ch.queueDeclarePassive(QUEUE).getMessageCount()).isZero();
        }
    }
}
