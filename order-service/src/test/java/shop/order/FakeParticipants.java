package shop.order;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;

import shop.platform.messaging.QueueDeclarations;

/**
 * Inventory and payment as the order service meets them: consumers of their command queues on the real
 * broker, answering as the participants would. Which answer is given depends on the product id or the
 * payment method, so each test states its scenario in its order. {@code SILENT} products and
 * {@code pm_silent} never answer (a participant that is down or slow).
 */
public class FakeParticipants implements AutoCloseable {

    public record Command(String type, String orderId, Map<String, Object> body, MessageProperties properties) {
    }

    /** A command held back: the fake answers it only once the test releases it (a participant that is slow just then). */
    public static final class Hold {
        private final Predicate<Command> which;
        private final CompletableFuture<Command> arrived = new CompletableFuture<>();
        private final CountDownLatch released = new CountDownLatch(1);

        Hold(Predicate<Command> which) {
            this.which = which;
        }

        /** The held command, once it has arrived. */
        public Command awaitArrival() throws Exception {
            return arrived.get(20, TimeUnit.SECONDS);
        }

        public void release() {
            released.countDown();
        }
    }

    public final List<Command> received = new CopyOnWriteArrayList<>();
    private final List<Hold> holds = new CopyOnWriteArrayList<>();
    private final ObjectMapper json = new ObjectMapper();
    private final RabbitTemplate rabbit;
    private final List<SimpleMessageListenerContainer> containers = new CopyOnWriteArrayList<>();

    public FakeParticipants(ConnectionFactory connections, QueueDeclarations queues) {
        RabbitAdmin admin = new RabbitAdmin(connections);
        queues.commandQueue("inventory.commands", "inventory.reserve", "inventory.release", "inventory.confirm", "inventory.status")
                .getDeclarables().forEach(d -> declare(admin, d));
        queues.commandQueue("payment.commands", "payment.charge", "payment.refund", "payment.status")
                .getDeclarables().forEach(d -> declare(admin, d));
        admin.purgeQueue("inventory.commands", false);
        admin.purgeQueue("payment.commands", false);
        this.rabbit = new RabbitTemplate(connections);
        listen(connections, "inventory.commands");
        listen(connections, "payment.commands");
    }

    private static void declare(RabbitAdmin admin, org.springframework.amqp.core.Declarable d) {
        if (d instanceof org.springframework.amqp.core.Queue q) {
            admin.declareQueue(q);
        } else if (d instanceof org.springframework.amqp.core.Binding b) {
            admin.declareBinding(b);
        }
    }

    private void listen(ConnectionFactory connections, String queue) {
        SimpleMessageListenerContainer container = new SimpleMessageListenerContainer(connections);
        container.setQueueNames(queue);
        container.setConcurrentConsumers(4);
        container.setMessageListener(this::onCommand);
        container.start();
        containers.add(container);
    }

    @SuppressWarnings("unchecked")
    private void onCommand(Message message) {
        try {
            Map<String, Object> body = json.readValue(message.getBody(), Map.class);
            String type = (String) body.get("type");
            String orderId = (String) body.get("orderId");
            Command command = new Command(type, orderId, body, message.getMessageProperties());
            received.add(command);
            for (Hold hold : holds) {
                if (hold.which.test(command) && holds.remove(hold)) {
                    hold.arrived.complete(command);
                    hold.released.await(20, TimeUnit.SECONDS);
                }
            }
            Map<String, Object> reply = answer(type, orderId, body);
            if (reply == null || message.getMessageProperties().getReplyTo() == null) {
                return;
            }
            MessageProperties props = new MessageProperties();
            props.setContentType("application/json");
            props.setCorrelationId(message.getMessageProperties().getCorrelationId());
            rabbit.send("", message.getMessageProperties().getReplyTo(),
                    new Message(json.writeValueAsString(reply).getBytes(StandardCharsets.UTF_8), props));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> answer(String type, String orderId, Map<String, Object> body) {
        return switch (type) {
            case "inventory.reserve" -> {
                List<Map<String, Object>> items = (List<Map<String, Object>>) body.get("items");
                String product = (String) items.get(0).get("productId");
                if (product.startsWith("SILENT")) {
                    yield null;
                }
                if (product.startsWith("OOS")) {
                    yield Map.of("status", "OUT_OF_STOCK", "orderId", orderId, "productId", product);
                }
                if (product.startsWith("UNKNOWN")) {
                    yield Map.of("status", "UNKNOWN_PRODUCT", "orderId", orderId, "productId", product);
                }
                if (product.startsWith("BROKEN")) {
                    yield Map.of("status", "ERROR", "reason", "PARTICIPANT_ERROR");
                }
                int quantity = ((Number) items.get(0).get("quantity")).intValue();
                yield Map.of("status", "RESERVED", "orderId", orderId, "reservationId", UUID.randomUUID().toString(),
                        "currency", "USD", "totalAmount", 1000L * quantity,
                        "items", List.of(Map.of("productId", product, "quantity", quantity, "unitPrice", 1000)));
            }
            case "inventory.release" -> Map.of("status", "RELEASED", "orderId", orderId);
            case "inventory.confirm" -> Map.of("status", "CONFIRMED", "orderId", orderId, "reservationId", UUID.randomUUID().toString());
            case "inventory.status" -> Map.of("status", "HELD", "orderId", orderId);
            case "payment.charge" -> switch ((String) body.get("paymentMethod")) {
                case "pm_silent" -> null;
                case "pm_card_chargeDeclined" -> Map.of("status", "DECLINED", "orderId", orderId,
                        "paymentId", UUID.randomUUID().toString(), "declineCode", "generic_decline");
                case "pm_pending" -> Map.of("status", "PENDING", "orderId", orderId, "paymentId", UUID.randomUUID().toString());
                default -> Map.of("status", "COMPLETED", "orderId", orderId, "paymentId", UUID.randomUUID().toString());
            };
            case "payment.refund" -> Map.of("status", "REFUNDED", "orderId", orderId);
            case "payment.status" -> Map.of("status", "COMPLETED", "orderId", orderId, "paymentId", UUID.randomUUID().toString());
            default -> Map.of("status", "ERROR");
        };
    }

    /** Holds back the first command that matches until {@link Hold#release()}. */
    public Hold hold(Predicate<Command> which) {
        Hold hold = new Hold(which);
        holds.add(hold);
        return hold;
    }

    public List<String> typesFor(String orderId) {
        return received.stream().filter(c -> orderId.equals(c.orderId())).map(Command::type).toList();
    }

    @Override
    public void close() {
        containers.forEach(SimpleMessageListenerContainer::stop);
    }
}
