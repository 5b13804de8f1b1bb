package shop.platform.integrations;

import java.util.Arrays;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Route;
import org.apache.camel.component.springrabbit.SpringRabbitMQEndpoint;
import org.apache.camel.support.RoutePolicySupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.Declarable;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.core.Exchange;
import org.springframework.amqp.core.Queue;

import shop.contracts.Message;
import shop.platform.messaging.MessageChecks;
import shop.platform.messaging.PermanentMessageFailure;
import shop.platform.messaging.QueueDeclarations;
import shop.platform.messaging.Topology;

/**
 * Bean {@code eventSubscriptions}: the route policy of template {@code shop-event-subscription}. When a
 * subscription route is created in the service's CamelContext - at start, or when a ROUTES_DIR file adds
 * it - it declares the route's own durable queue, its dead-letter queue {@code <queue>.dlq} and the binding
 * to {@code shop.events} for the event type, the way every queue here is declared ({@link QueueDeclarations}),
 * before the consumer starts. A route created only to check a file (a throwaway context) declares nothing.
 * Removing the route leaves the queue: a route file that is edited or redeployed must not lose events. To
 * unsubscribe for good, delete the queue and its .dlq on the broker (docs/integrations.md).
 *
 * <p>It also checks each event the template reads ({@link #check}): a map must carry the envelope, a record
 * ({@code shop.contracts}, template parameter {@code eventRecord}) its constraints, type and schema version.
 */
public class EventSubscriptions extends RoutePolicySupport {

    private static final Logger log = LoggerFactory.getLogger(EventSubscriptions.class);

    private final CamelContext application;
    private final QueueDeclarations declarations;
    private final AmqpAdmin admin;
    private final MessageChecks messageChecks;

    public EventSubscriptions(CamelContext application, QueueDeclarations declarations, AmqpAdmin admin,
                              MessageChecks messageChecks) {
        this.application = application;
        this.declarations = declarations;
        this.admin = admin;
        this.messageChecks = messageChecks;
    }

    @Override
    public void onInit(Route route) {
        if (route.getCamelContext() != application) {
            return;
        }
        Endpoint endpoint = route.getEndpoint();
        if (!(endpoint instanceof SpringRabbitMQEndpoint rabbit) || rabbit.getQueues() == null) {
            throw new IllegalArgumentException("route " + route.getRouteId() + ": policy eventSubscriptions needs a "
                    + "spring-rabbitmq:" + Topology.EVENTS + " consumer with queues and routingKey");
        }
        if (!Topology.EVENTS.equals(rabbit.getExchangeName())) {
            throw new IllegalArgumentException("route " + route.getRouteId() + ": an event subscription consumes from "
                    + Topology.EVENTS + ", not " + rabbit.getExchangeName());
        }
        String queue = rabbit.getQueues().split(",")[0].trim();
        String[] eventTypes = rabbit.getRoutingKey() == null ? new String[0]
                : Arrays.stream(rabbit.getRoutingKey().split(",")).map(String::trim).filter(s -> !s.isEmpty()).toArray(String[]::new);
        if (eventTypes.length == 0) {
            throw new IllegalArgumentException("route " + route.getRouteId() + ": no event type (routingKey) to bind queue " + queue + " to");
        }
        declare(declarations.eventQueue(queue, eventTypes));
        log.info("route {}: queue {} (dead letters: {}) bound to {} for {}", route.getRouteId(), queue,
                Topology.deadLetterQueue(queue), Topology.EVENTS, String.join(", ", eventTypes));
    }

    private void declare(Declarables declarables) {
        for (Declarable d : declarables.getDeclarables()) {
            if (d instanceof Queue q) {
                admin.declareQueue(q);
            } else if (d instanceof Exchange x) {
                admin.declareExchange(x);
            } else if (d instanceof Binding b) {
                admin.declareBinding(b);
            }
        }
    }

    /**
     * The event as the template read it, if it can be processed: a map (the default) must carry the envelope of
     * docs/messaging.md ({@link #checkEnvelope}); a record of {@code shop.contracts} is checked by bean
     * {@code messageChecks} against its constraints, the subscription's event type and the schema version, every
     * bad field named. One that fails can never be processed and is dead-lettered at once.
     */
    public Object check(Object event, String eventType) {
        if (event == null || event instanceof Message) {
            // null: "invalid <eventType>: the body is empty or JSON null", the same for a map and a record
            return messageChecks.check((Message) event, eventType);
        }
        if (event instanceof Map) {
            @SuppressWarnings("unchecked")
            Map<String, Object> map = (Map<String, Object>) event;
            return checkEnvelope(map);
        }
        throw new PermanentMessageFailure("an event subscription reads a map or a record of shop.contracts, not "
                + event.getClass().getName());
    }

    /**
     * An event must carry the envelope of docs/messaging.md ({@code messageId}, {@code type}); one that does not
     * can never be processed and is dead-lettered at once.
     */
    public Map<String, Object> checkEnvelope(Map<String, Object> event) {
        if (event == null) {
            throw new PermanentMessageFailure("empty event");
        }
        Object messageId = event.get("messageId");
        if (!(messageId instanceof String id) || id.isBlank()) {
            throw new PermanentMessageFailure("event without messageId");
        }
        if (!(event.get("type") instanceof String type) || type.isBlank()) {
            throw new PermanentMessageFailure("event " + messageId + " without type");
        }
        return event;
    }

    /** Header {@code messageId} of a checked event (map or record). */
    public String messageId(Object event) {
        return event instanceof Message message ? message.messageId() : (String) ((Map<?, ?>) event).get("messageId");
    }

    /** Header {@code eventType} of a checked event: its type (a record that names none: the subscription's). */
    public String eventType(Object event, String eventType) {
        Object type = event instanceof Message message ? message.type() : ((Map<?, ?>) event).get("type");
        return type == null ? eventType : type.toString();
    }
}
