package shop.bench;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;

import shop.systemtests.Vhosts;

/**
 * The broker's share of one order, measured the way the database floor is: RabbitMQ alone carrying the
 * messages of one order, with the bare Java client and nothing of the services (no Spring, no Camel, no JSON,
 * no database). One floor order is what the system sends for a confirmed order (docs/messaging.md):
 * <ul>
 *   <li>three commands, request-reply (transient, with an expiration; the answer through direct reply-to, the
 *       cheapest reply path RabbitMQ has; the participant acknowledges after answering);</li>
 *   <li>three events, persistent, each published with a broker confirm awaited before the next (the outbox
 *       relay); {@code order.confirmed} is consumed and acknowledged (shipping), the other two have no
 *       subscriber and land in the bounded alternate-exchange queue (docs/adr/0013).</li>
 * </ul>
 * Its result is the CPU RabbitMQ needs per order when nothing else is in its way: the part of the machine the
 * services can never have (docs/performance.md, "The gap to the target").
 */
final class MessagingFloor {

    static final String VHOST = "shop-floor";
    private static final String COMMANDS = "floor.commands";
    private static final String EVENTS = "floor.events";
    private static final String UNROUTABLE = "floor.unroutable";
    private static final String SHIPPING = "floor.shipping";
    private static final String REPLY_TO = "amq.rabbitmq.reply-to";
    private static final List<String> EVENT_TYPES = List.of("payment.completed", "order.confirmed", "shipment.created");
    private static final Duration WARM_UP = Duration.ofSeconds(3);
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(5);

    /** Payloads about the size of the real ones. */
    private static final byte[] COMMAND = ("{\"orderId\":\"" + UUID.randomUUID() + "\",\"items\":[{\"productId\":\"BENCH-001\","
            + "\"quantity\":1}],\"deadline\":1764115200000,\"totalAmount\":1999,\"currency\":\"USD\","
            + "\"paymentMethod\":\"pm_card_visa\",\"idempotencyKey\":\"" + UUID.randomUUID() + "\"}").getBytes(StandardCharsets.UTF_8);
    private static final byte[] EVENT = ("{\"messageId\":\"" + UUID.randomUUID() + "\",\"type\":\"order.confirmed\","
            + "\"occurredAt\":\"2026-11-26T00:00:00Z\",\"schemaVersion\":1,\"orderId\":\"" + UUID.randomUUID() + "\","
            + "\"userId\":\"bench\",\"items\":[{\"productId\":\"BENCH-001\",\"quantity\":1,\"unitPrice\":1999}],"
            + "\"totalAmount\":1999,\"currency\":\"USD\",\"shippingAddress\":{\"name\":\"Ada Lovelace\","
            + "\"line1\":\"1 Main St\",\"city\":\"London\",\"postalCode\":\"N1 9GU\",\"country\":\"GB\"}}")
            .getBytes(StandardCharsets.UTF_8);

    record Result(double ordersPerSecond, double brokerCpuMsPerOrder, int clients) {
    }

    static Result run(BenchSettings settings) throws Exception {
        Vhosts.recreate(VHOST);
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost("127.0.0.1");
        factory.setVirtualHost(VHOST);
        int clients = settings.floorClients();
        System.out.printf("messaging floor: %d clients, 3 request-replies and 3 confirmed persistent events per order, %d s%n",
                clients, settings.messagingFloorDuration().toSeconds());
        try (Connection participants = factory.newConnection("floor-participants");
             Connection requesters = factory.newConnection("floor-requesters")) {
            declareTopology(participants);
            startParticipants(participants);
            AtomicLong orders = new AtomicLong();
            AtomicBoolean stop = new AtomicBoolean();
            AtomicReference<Exception> failure = new AtomicReference<>();
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                Thread t = new Thread(() -> orderLoop(requesters, orders, stop, failure), "floor-client-" + i);
                t.start();
                threads.add(t);
            }
            Thread.sleep(WARM_UP.toMillis());
            long orders0 = orders.get();
            long broker0 = ProcessCpu.sumOf(ProcessCpu.RABBITMQ).toNanos();
            long t0 = System.nanoTime();
            Thread.sleep(settings.messagingFloorDuration().toMillis());
            long done = orders.get() - orders0;
            long broker = ProcessCpu.sumOf(ProcessCpu.RABBITMQ).toNanos() - broker0;
            double seconds = (System.nanoTime() - t0) / 1e9;
            stop.set(true);
            for (Thread t : threads) {
                t.join(ANSWER_TIMEOUT.toMillis() * 2);
            }
            if (failure.get() != null) {
                throw new IllegalStateException("messaging floor failed", failure.get());
            }
            long perOrder = Math.max(done, 1);
            return new Result(done / seconds, broker / 1e6 / perOrder, clients);
        }
    }

    private static void declareTopology(Connection connection) throws Exception {
        try (Channel ch = connection.createChannel()) {
            ch.exchangeDeclare(UNROUTABLE, BuiltinExchangeType.FANOUT, true);
            ch.queueDeclare(UNROUTABLE, true, false, false, Map.of("x-max-length", 10_000, "x-overflow", "drop-head"));
            ch.queueBind(UNROUTABLE, UNROUTABLE, "");
            ch.exchangeDeclare(EVENTS, BuiltinExchangeType.TOPIC, true, false, Map.of("alternate-exchange", UNROUTABLE));
            ch.queueDeclare(SHIPPING, true, false, false, null);
            ch.queueBind(SHIPPING, EVENTS, "order.confirmed");
            ch.queueDeclare(COMMANDS, true, false, false, null);
        }
    }

    /** Participants answer every command, then acknowledge it; shipping acknowledges order.confirmed. */
    private static void startParticipants(Connection connection) throws Exception {
        for (int i = 0; i < 4; i++) {
            Channel ch = connection.createChannel();
            ch.basicQos(20);
            ch.basicConsume(COMMANDS, false, (tag, delivery) -> {
                AMQP.BasicProperties request = delivery.getProperties();
                ch.basicPublish("", request.getReplyTo(), new AMQP.BasicProperties.Builder()
                        .correlationId(request.getCorrelationId()).contentType("application/json").deliveryMode(1).build(), COMMAND);
                ch.basicAck(delivery.getEnvelope().getDeliveryTag(), false);
            }, tag -> { });
        }
        for (int i = 0; i < 2; i++) {
            Channel ch = connection.createChannel();
            ch.basicQos(20);
            ch.basicConsume(SHIPPING, false, (tag, delivery) -> ch.basicAck(delivery.getEnvelope().getDeliveryTag(), false), tag -> { });
        }
    }

    private static void orderLoop(Connection connection, AtomicLong orders, AtomicBoolean stop, AtomicReference<Exception> failure) {
        try (Channel rpc = connection.createChannel(); Channel events = connection.createChannel()) {
            BlockingQueue<String> answers = new ArrayBlockingQueue<>(1);
            rpc.basicConsume(REPLY_TO, true, (tag, delivery) -> answers.offer(delivery.getProperties().getCorrelationId()), tag -> { });
            events.confirmSelect();
            while (!stop.get()) {
                for (int command = 0; command < 3; command++) {
                    String id = UUID.randomUUID().toString();
                    rpc.basicPublish("", COMMANDS, new AMQP.BasicProperties.Builder().replyTo(REPLY_TO).correlationId(id)
                            .contentType("application/json").deliveryMode(1).expiration("3000").build(), COMMAND);
                    String answer = answers.poll(ANSWER_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                    if (!id.equals(answer)) {
                        throw new IllegalStateException("no answer to command " + id + " (got " + answer + ")");
                    }
                }
                for (String type : EVENT_TYPES) {
                    events.basicPublish(EVENTS, type, new AMQP.BasicProperties.Builder().messageId(UUID.randomUUID().toString())
                            .type(type).contentType("application/json").deliveryMode(2).build(), EVENT);
                    events.waitForConfirmsOrDie(ANSWER_TIMEOUT.toMillis());
                }
                orders.incrementAndGet();
            }
        } catch (Exception e) {
            failure.compareAndSet(null, e);
        }
    }

    private MessagingFloor() {
    }
}
