package shop.systemtests;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import shop.shipping.support.IntegrationRouteFiles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The four services on a three-node RabbitMQ cluster of their own ({@link RabbitCluster}) with quorum queues,
 * as production runs them (ADR 5): the broker policies applied the way bin/ensure-infra applies them, the services
 * given every node in RABBITMQ_ADDRESSES. Under load a node stops and comes back, the node leading the busiest
 * queues crashes, and the whole cluster restarts; afterwards nothing is lost, stuck or applied twice. Then dead
 * letters survive any number of listings and are replayed once, and an integration declared the plain way Camel's
 * documentation shows receives order.confirmed. Databases {@code <db>_cluster}; the shared system is not met.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RabbitClusterIT {

    static final String VHOST = "shop";
    static final List<String> WORK_QUEUES = List.of("inventory.commands", "payment.commands", "shipping.order-confirmed");

    static final long started = System.nanoTime();
    static Path root;
    static Path work;
    static RabbitCluster cluster;
    static SystemUnderTest system;
    static Shop shop;
    static Invariants invariants;

    @BeforeAll
    static void startClusterAndServices() throws IOException {
        root = Path.of(System.getProperty("shop.root", "..")).toAbsolutePath().normalize();
        work = root.resolve("system-tests/target/cluster-it");
        deleteTree(work);
        Path routes = Files.createDirectories(work.resolve("routes"));
        Files.createDirectories(work.resolve("out"));
        Files.writeString(routes.resolve("my-integration.yaml"), IntegrationRouteFiles.route(work.resolve("out")));

        cluster = new RabbitCluster(root.resolve("system-tests/target/rabbit-cluster"), "st-cluster", 3);
        try {
            phase("cluster started (" + cluster.start().toMillis() + " ms)");
            cluster.ctl("-q", "add_vhost", VHOST);
            cluster.ctl("-q", "set_permissions", "-p", VHOST, "guest", ".*", ".*", ".*");
            cluster.script(root.resolve("bin/apply-policies"), VHOST);
            phase("policies applied");
            system = SystemUnderTest.startOwn("_cluster", Map.of(
                            "RABBITMQ_ADDRESSES", cluster.addresses(),
                            // not a broker: the services must find theirs through RABBITMQ_ADDRESSES alone
                            "RABBITMQ_HOST", "rabbitmq-addresses-only.invalid",
                            "RABBITMQ_VHOST", VHOST,
                            "RABBITMQ_QUEUE_TYPE", "quorum"),
                    Map.of("shipping-service", Map.of("ROUTES_DIR", routes.toString())));
            phase("services ready");
        } catch (RuntimeException e) {
            stopAll();
            throw e;
        }
        shop = new Shop(system);
        invariants = new Invariants(system);
    }

    @AfterAll
    static void stopAll() {
        if (system != null) {
            system.shutdown();
        }
        if (cluster != null) {
            cluster.close();
        }
        phase("services and cluster stopped");
    }

    @Test
    @Order(1)
    void anIntegrationDeclaredThePlainWayReceivesOrderConfirmed() throws IOException {
        String sku = Shop.uniqueSku("INTEG");
        shop.stock(sku, 300, 10);
        List<String> confirmed = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> r = shop.place("integration", Shop.order("pm_card_visa", sku, 1));
            assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
            confirmed.add(Http.json(r).get("orderId").asText());
        }
        await("one file per order.confirmed").atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            for (String id : confirmed) {
                assertThat(filesMentioning(work.resolve("out"), id)).as("files of " + id).isEqualTo(1);
            }
        });
        assertThat(cluster.ctl("-q", "list_queues", "-p", VHOST, "--no-table-headers", "name", "durable", "arguments"))
                .as("declared plain: durable, no arguments").containsPattern("(?m)^my-integration\\s+true\\s+\\[\\]\\s*$");
        phase("integration received order.confirmed");
    }

    @Test
    @Order(2)
    void underLoadANodeStopsTheBusiestLeaderCrashesTheClusterRestartsNothingLostStuckOrDoubled() throws Exception {
        String user = "cluster-load";
        String sku = Shop.uniqueSku("CLUSTER");
        int initial = 20000;
        shop.stock(sku, 150, initial);
        try (Load load = new Load(user, sku, 3)) {
            load.awaitFinal(10, Duration.ofSeconds(60));
            phase("load running: " + load.finals());

            RabbitCluster.Node third = cluster.node(2);
            cluster.stopNode(third);
            phase(third.name + " stopped");
            load.awaitFinal(10, Duration.ofSeconds(60));
            cluster.startNode(third);
            cluster.awaitRunningNodes(3);
            phase(third.name + " back: " + load.finals());
            load.awaitFinal(10, Duration.ofSeconds(60));

            Map<String, RabbitCluster.Node> leaders = cluster.leaders(VHOST);
            RabbitCluster.Node busiest = busiestLeader(leaders);
            List<String> led = WORK_QUEUES.stream().filter(q -> leaders.get(q) == busiest).toList();
            assertThat(led).as("queues " + busiest.name + " leads").containsAnyOf("inventory.commands", "shipping.order-confirmed");
            cluster.killNode(busiest);
            phase(busiest.name + " killed (kill -9), it led " + led);
            load.awaitFinal(10, Duration.ofSeconds(60));
            cluster.startNode(busiest);
            cluster.awaitRunningNodes(3);
            phase(busiest.name + " back: " + load.finals());
            load.awaitFinal(10, Duration.ofSeconds(60));

            phase("whole cluster restarted in " + cluster.restart().toMillis() + " ms");
            load.awaitFinal(10, Duration.ofSeconds(90));
            phase("load after restart: " + load.finals());
            load.stop();
            load.retryUntilFinal(Duration.ofSeconds(90));
            phase("every request answered: " + load.finals());
            assertThat(load.unexpected).as("answers other than 201, 409, 402 and 503").isEmpty();
        }

        invariants.awaitAllSagasFinished(Duration.ofSeconds(90));
        invariants.assertConsistentInBulk(user, sku, initial);
        List<Map<String, Object>> orders = invariants.ordersOf(user);
        List<String> confirmed = orders.stream().filter(o -> "CONFIRMED".equals(o.get("status"))).map(o -> (String) o.get("order_id")).toList();
        List<String> failed = orders.stream().filter(o -> "FAILED".equals(o.get("status"))).map(o -> (String) o.get("order_id")).toList();
        assertThat(confirmed).as("confirmed orders").isNotEmpty();
        await("one shipment per confirmed order").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                assertThat(system.count("shipping-service", "SELECT count(DISTINCT order_id) FROM shipments WHERE order_id = ANY(?::uuid[])",
                        (Object) confirmed.toArray(String[]::new))).isEqualTo(confirmed.size()));
        assertThat(system.count("shipping-service", "SELECT count(*) FROM shipments WHERE order_id = ANY(?::uuid[])",
                (Object) confirmed.toArray(String[]::new))).as("shipments of confirmed orders").isEqualTo(confirmed.size());
        assertThat(system.count("shipping-service", "SELECT count(*) FROM shipments WHERE order_id = ANY(?::uuid[])",
                (Object) failed.toArray(String[]::new))).as("shipments of failed orders").isZero();
        assertThat(confirmed.stream().filter(id -> system.carrier.callsFor(id) != 1).toList())
                .as("confirmed orders the carrier was not called exactly once for").isEmpty();
        assertThat(system.query("order-service", "SELECT coalesce(idempotency_key, released_idempotency_key) AS k, count(*) AS n "
                + "FROM orders WHERE user_id = ? AND status = 'CONFIRMED' GROUP BY 1 HAVING count(*) > 1", user))
                .as("keys with more than one confirmed order").isEmpty();
        await("nothing stuck in the work queues").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> assertThat(messagesIn(WORK_QUEUES)).allSatisfy((q, n) -> assertThat(n).as(q).isZero()));
        phase("invariants hold: " + confirmed.size() + " confirmed, " + failed.size() + " failed");
    }

    @Test
    @Order(3)
    void deadLettersSurviveFiftyListingsAndReplayShipsEachOnce() {
        String sku = Shop.uniqueSku("CLDLQ");
        shop.stock(sku, 900, 10);
        system.carrier.answer(503);
        List<String> orders = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                HttpResponse<String> r = shop.place("cluster-dlq", Shop.order("pm_card_visa", sku, 1));
                assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
                orders.add(Http.json(r).get("orderId").asText());
            }
            await("all four dead-lettered").atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                    assertThat(deadLetterOrders()).containsAll(orders));
            int held = deadLetters().get("count").asInt();
            assertThat(held).as("dead letters: these four, nothing left over from the faults").isEqualTo(orders.size());
            for (int i = 0; i < 50; i++) {
                JsonNode dlq = deadLetters();
                assertThat(dlq.get("count").asInt()).as("listing " + (i + 1)).isEqualTo(held);
                assertThat(ids(dlq)).as("listing " + (i + 1)).containsAll(orders);
            }
            for (String id : orders) {
                assertThat(shop.shipments(id)).as("shipments of " + id + " while the carrier is down").isEmpty();
            }
            phase("dead letters listed 50 times: " + held);
        } finally {
            system.carrier.answer(201);
        }

        HttpResponse<String> replay = Http.post(system.shipping.url() + "/admin/dlq/shipments/replay", SystemUnderTest.OPERATOR, "", Map.of());
        assertThat(replay.statusCode()).as(replay.body()).isEqualTo(200);
        assertThat(Http.json(replay).get("replayed").asInt()).as(replay.body()).isEqualTo(orders.size());
        await("each shipped after replay").atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            for (String id : orders) {
                assertThat(shop.shipments(id)).as("shipments of " + id).hasSize(1);
            }
        });
        assertThat(deadLetterOrders()).as("replayed letters left the DLQ").doesNotContainAnyElementsOf(orders);

        HttpResponse<String> again = Http.post(system.shipping.url() + "/admin/dlq/shipments/replay", SystemUnderTest.OPERATOR, "", Map.of());
        assertThat(Http.json(again).get("replayed").asInt()).as(again.body()).isZero();
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            for (String id : orders) {
                assertThat(shop.shipments(id)).as("shipments of " + id + " after a second replay").hasSize(1);
            }
        });
        phase("replayed once");
    }

    // --- the load ---------------------------------------------------------------------------------------

    /**
     * Clients placing orders one after another, each with an Idempotency-Key, retrying it until it has a final
     * answer (201, 409, 402) before the next, 250 ms apart; about one order in seven is declined by the provider.
     */
    final class Load implements AutoCloseable {
        private final String user;
        private final String sku;
        private final Map<String, Map<String, Object>> requests = new ConcurrentHashMap<>();
        private final Set<String> answered = ConcurrentHashMap.newKeySet();
        private final AtomicInteger unavailable = new AtomicInteger();
        final List<String> unexpected = new CopyOnWriteArrayList<>();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final List<Thread> clients = new ArrayList<>();

        Load(String user, String sku, int clientCount) {
            this.user = user;
            this.sku = sku;
            for (int c = 0; c < clientCount; c++) {
                int client = c;
                Thread t = new Thread(() -> run(client), "cluster-client-" + c);
                t.setDaemon(true);
                clients.add(t);
                t.start();
            }
        }

        private void run(int client) {
            // paced (a customer's think time): the load must last through every fault, whatever the machine's speed
            for (int n = 0; running.get() && n < 1000; n++) {
                String key = user + "-" + client + "-" + n;
                Map<String, Object> order = Shop.order(n % 7 == 3 ? "pm_card_chargeDeclined" : "pm_card_visa", sku, 1 + (n % 3));
                requests.put(key, order);
                while (running.get() && !attempt(key, order)) {
                    pause(300);
                }
                pause(250);
            }
        }

        private boolean attempt(String key, Map<String, Object> order) {
            try {
                HttpResponse<String> r = shop.place(user, order, key);
                int status = r.statusCode();
                if (status == 201 || status == 409 || status == 402) {
                    answered.add(key);
                    return true;
                }
                if (status != 503) {
                    unexpected.add(key + ": " + status + " " + r.body());
                }
                unavailable.incrementAndGet();
            } catch (IllegalStateException timedOutOrRefused) {
                unavailable.incrementAndGet();
            }
            return false;
        }

        void awaitFinal(int more, Duration atMost) {
            int target = answered.size() + more;
            await(more + " more final answers (" + finals() + ")").atMost(atMost).pollInterval(Duration.ofMillis(200))
                    .until(() -> answered.size() >= target);
        }

        String finals() {
            return answered.size() + " of " + requests.size() + " answered, " + unavailable.get() + " retries";
        }

        void stop() throws InterruptedException {
            running.set(false);
            for (Thread t : clients) {
                t.join(Duration.ofSeconds(70).toMillis());
                assertThat(t.isAlive()).as(t.getName() + " stopped").isFalse();
            }
        }

        /** What a client does after an outage: every request without a final answer again, with its key. */
        void retryUntilFinal(Duration atMost) {
            long deadline = System.nanoTime() + atMost.toNanos();
            for (Map.Entry<String, Map<String, Object>> request : requests.entrySet()) {
                if (answered.contains(request.getKey())) {
                    continue;
                }
                await("final answer for " + request.getKey()).atMost(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())))
                        .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(300))
                        .until(() -> attempt(request.getKey(), request.getValue()));
            }
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            for (Thread t : clients) {
                t.join(Duration.ofSeconds(70).toMillis());
            }
        }
    }

    // --- helpers ----------------------------------------------------------------------------------------

    /** The node that leads most of the work queues (ties: the one leading shipping.order-confirmed). */
    static RabbitCluster.Node busiestLeader(Map<String, RabbitCluster.Node> leaders) {
        assertThat(leaders).as("leaders of the work queues").containsKeys(WORK_QUEUES.toArray(String[]::new));
        Map<RabbitCluster.Node, Long> led = WORK_QUEUES.stream().map(leaders::get)
                .collect(Collectors.groupingBy(n -> n, LinkedHashMap::new, Collectors.counting()));
        RabbitCluster.Node shipping = leaders.get("shipping.order-confirmed");
        return led.entrySet().stream()
                .max(Comparator.<Map.Entry<RabbitCluster.Node, Long>>comparingLong(Map.Entry::getValue)
                        .thenComparing(e -> e.getKey() == shipping))
                .orElseThrow().getKey();
    }

    static Map<String, Long> messagesIn(List<String> queues) {
        String out = cluster.ctl("-q", "list_queues", "-p", VHOST, "--no-table-headers", "name", "messages");
        Map<String, Long> messages = new LinkedHashMap<>();
        for (String line : out.split("\n")) {
            String[] cols = line.trim().split("\\s+");
            if (cols.length == 2 && queues.contains(cols[0])) {
                messages.put(cols[0], Long.parseLong(cols[1]));
            }
        }
        assertThat(messages).as("work queues").containsKeys(queues.toArray(String[]::new));
        return messages;
    }

    static JsonNode deadLetters() {
        HttpResponse<String> r = Http.get(system.shipping.url() + "/admin/dlq/shipments", SystemUnderTest.OPERATOR);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Http.json(r);
    }

    static List<String> deadLetterOrders() {
        return ids(deadLetters());
    }

    static List<String> ids(JsonNode dlq) {
        List<String> ids = new ArrayList<>();
        dlq.get("messages").forEach(m -> ids.add(m.get("orderId").asText()));
        return ids;
    }

    static long filesMentioning(Path folder, String orderId) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(Files::isRegularFile).filter(f -> {
                try {
                    return Files.readString(f, StandardCharsets.UTF_8).contains(orderId);
                } catch (IOException e) {
                    return false;
                }
            }).count();
        }
    }

    static void phase(String what) {
        System.out.printf("RabbitClusterIT +%d s: %s%n", (System.nanoTime() - started) / 1_000_000_000, what);
    }

    static void pause(long millis) {
        try {
            Thread.sleep(millis); // a client's back-off between retries, not synchronisation
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
