package shop.order.messaging;

import java.util.UUID;

import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

import shop.contracts.inventory.GetReservation;
import shop.platform.web.ReadinessCondition;

/**
 * Opens the request-reply channel before the service reports ready. camel-spring-rabbitmq starts its
 * reply container on the first request-reply call; requests arriving together on a cold service raced that
 * start and failed ("Direct reply-to container is not running"). One harmless status query at startup
 * (an order id nobody has) starts it; {@code /ready} waits for it.
 */
@Component
public class ReplyChannelWarmUp implements ApplicationRunner, ReadinessCondition {

    private static final Logger log = LoggerFactory.getLogger(ReplyChannelWarmUp.class);
    private static final UUID NOBODY = new UUID(0, 0);

    private final ProducerTemplate camel;
    private volatile boolean done;

    public ReplyChannelWarmUp(ProducerTemplate camel) {
        this.camel = camel;
    }

    @Override
    public void run(ApplicationArguments args) {
        try {
            camel.requestBody("direct:send-command", GetReservation.of(NOBODY));
        } catch (RuntimeException e) {
            // inventory may not be up yet: the reply channel is open all the same
            log.info("reply channel open; inventory did not answer the warm-up ({})", e.getMessage());
        } finally {
            done = true;
        }
    }

    @Override
    public boolean ready() {
        return done;
    }
}
