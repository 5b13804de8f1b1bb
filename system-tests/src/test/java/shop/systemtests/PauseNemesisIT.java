package shop.systemtests;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The pause nemesis (issue 18): a process that stops and later goes on - a long GC pause, a frozen VM - must
 * never undo a finished order. Two order-service instances with a short stale window, one inventory, payment and
 * shipping service, on databases and a RabbitMQ vhost of this test's own. Eight clients place orders with
 * Idempotency-Keys over both order instances and retry each request with its key until a final answer, while the
 * test freezes ({@code SIGSTOP}, then {@code SIGCONT} after longer than the stale window) the payment service, each
 * order-service instance and the inventory service in turn. Afterwards the four databases must agree: nothing
 * PENDING; a CONFIRMED order has its one COMPLETED payment, no refund, one shipment, and was answered 201; a FAILED
 * order has no COMPLETED payment and no shipment; stock is the initial stock minus what was confirmed, none reserved.
 */
class PauseNemesisIT {

    static final String VHOST = "shop-pause";
    static final Map<String, String> DATABASES = Map.of(
            "order-service", "orders_pause", "inventory-service", "inventory_pause",
            "payment-service", "payments_pause", "shipping-service", "shipping_pause");

    /**
     * A short stale window, and the timeouts that keep the order service's lease rule (docs/saga.md, "Timeouts and
     * the stale window"): 2000 reply + 500 pool wait + 1000 validation + 2000 transaction + 3000 socket + 1000 margin
     * <= 10 000 ms. The payment provider (the simulator) answers within the reply timeout.
     */
    static final int STALE_SECONDS = 10;
    static final Map<String, String> TIMINGS = Map.of(
            "SAGA_STALE_AFTER_SECONDS", Integer.toString(STALE_SECONDS),
            "SAGA_REPLY_TIMEOUT_MS", "2000",
            "PAYMENT_PROVIDER_TIMEOUT_MS", "1500",
            "DB_CONNECTION_TIMEOUT_MS", "500",
            "DB_TRANSACTION_TIMEOUT_SECONDS", "2",
            "DB_SOCKET_TIMEOUT_SECONDS", "3",
            "DB_STATEMENT_TIMEOUT_MS", "1500");
    /** Longer than the stale window and a recovery pass: the other instance takes over what the frozen one held. */
    static final Duration FREEZE = Duration.ofSeconds(STALE_SECONDS + 3);

    static final int CLIENTS = 8;
    /** Orders one client places at most; it stops earlier when the nemesis is done. */
    static final int ORDERS_PER_CLIENT = 60;
    static final Duration THINK_TIME = Duration.ofMillis(300);
    static final Duration RETRY_BACKOFF = Duration.ofMillis(500);
    /** How long a client retries one request with its key before it gives up (a violation). */
    static final Duration ANSWER_DEADLINE = Duration.ofSeconds(120);
    static final List<Integer> FINAL = List.of(201, 402, 409, 422);

    static final String PLENTY = "PAUSE-PLENTY";
    static final String SCARCE = "PAUSE-SCARCE";
    static final String EMPTY = "PAUSE-EMPTY";
    static final Map<String, Integer> INITIAL = Map.of(PLENTY, 100_000, SCARCE, 40, EMPTY, 0);

    static CarrierStub carrier;
    static ServiceProcess inventory;
    static ServiceProcess payments;
    static ServiceProcess shipping;
    static List<ServiceProcess> orders;
    static final List<ServiceProcess> all = new ArrayList<>();

    /** A client's final answer for one Idempotency-Key. */
    record Answer(String key, int status, String orderId) {
    }

    final Map<String, Answer> answers = new ConcurrentHashMap<>();
    final List<String> unanswered = new ArrayList<>();
    final AtomicInteger finals = new AtomicInteger();
    final AtomicInteger[] inFlight = {new AtomicInteger(), new AtomicInteger()};
    final Map<Integer, AtomicInteger> statusCounts = new ConcurrentHashMap<>();
    final AtomicBoolean nemesisRunning = new AtomicBoolean(true);

    @BeforeAll
    static void startSystem() {
        Vhosts.recreate(VHOST);
        DATABASES.values().forEach(Databases::recreate);
        carrier = new CarrierStub();
        int base = FreePorts.find(5);
        Path logs = SystemUnderTest.serviceLogs();
        inventory = service("inventory-service", base, logs);
        payments = service("payment-service", base + 1, logs);
        shipping = service("shipping-service", base + 2, logs);
        List<ServiceProcess> participants = List.of(inventory, payments, shipping);
        orders = List.of(service("order-service", base + 3, logs), service("order-service", base + 4, logs));
        all.addAll(participants);
        all.addAll(orders);
        // participants first: they declare the queues the order service sends its commands to
        participants.forEach(ServiceProcess::start);
        participants.forEach(ServiceProcess::awaitReady);
        orders.forEach(ServiceProcess::start);
        orders.forEach(ServiceProcess::awaitReady);
        INITIAL.forEach((sku, available) -> {
            HttpResponse<String> r = Http.put(inventory.url() + "/products/" + sku, SystemUnderTest.OPERATOR,
                    Http.write(Map.of("name", "Product " + sku, "priceCents", 1250, "currency", "USD", "available", available)));
            assertThat(r.statusCode()).as(r.body()).isIn(200, 201);
        });
    }

    static ServiceProcess service(String name, int port, Path logs) {
        Map<String, String> env = SystemUnderTest.testEnvironment(DATABASES.get(name), carrier.url());
        env.put("RABBITMQ_VHOST", VHOST);
        env.putAll(TIMINGS);
        return new ServiceProcess(name, SystemUnderTest.jar(name), logs, port, env);
    }

    @AfterAll
    static void stopSystem() {
        all.forEach(ServiceProcess::resume); // a failure mid-freeze must not leave a stopped process behind
        all.forEach(ServiceProcess::stop);
        if (carrier != null) {
            carrier.close();
        }
    }

    @Test
    void frozenProcessesNeverUndoAFinishedOrder() throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        List<Future<?>> running = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            int client = c;
            running.add(clients.submit(() -> placeOrders(client)));
        }
        List<String> freezes = new ArrayList<>();
        try {
            await("orders flowing").atMost(Duration.ofSeconds(60)).until(() -> finals.get() >= 2 * CLIENTS);
            freeze(payments, "payment service", freezes);
            for (int i = 0; i < orders.size(); i++) {
                int instance = i;
                // sagas in flight on the instance when it stops: a live saga stalls past the stale window
                await("orders in flight on order instance " + i).atMost(Duration.ofSeconds(30))
                        .until(() -> inFlight[instance].get() >= 2);
                freeze(orders.get(i), "order instance " + i, freezes);
            }
            freeze(inventory, "inventory service", freezes);
        } finally {
            nemesisRunning.set(false);
            clients.shutdown();
        }
        assertThat(clients.awaitTermination(ANSWER_DEADLINE.toSeconds() + 60, TimeUnit.SECONDS)).as("clients done").isTrue();
        for (Future<?> f : running) {
            f.get();
        }

        await("every saga finished").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                assertThat(Databases.count(DATABASES.get("order-service"),
                        "SELECT count(*) FROM orders WHERE status = 'PENDING' OR saga_step = 'COMPENSATING'"))
                        .as("orders PENDING or compensating").isZero());
        // shipments and released reservations follow asynchronously: give them time, then report what is still wrong
        try {
            await("the services agree").atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> violations().isEmpty());
        } catch (ConditionTimeoutException stillInconsistent) {
            // reported below, with the numbers
        }
        String summary = summary(freezes);
        System.out.println(summary);
        assertThat(violations()).as(summary).isEmpty();
    }

    /** SIGSTOP, longer than the stale window, SIGCONT; then wait until clients get final answers again. */
    private void freeze(ServiceProcess victim, String name, List<String> freezes) throws InterruptedException {
        Instant at = Instant.now();
        victim.pause();
        try {
            Thread.sleep(FREEZE.toMillis()); // the fault's duration, not a synchronisation
        } finally {
            victim.resume();
        }
        freezes.add(name + " frozen " + FREEZE.toSeconds() + " s at " + at);
        int before = finals.get();
        await("final answers after " + name + " went on").atMost(Duration.ofSeconds(60))
                .until(() -> finals.get() >= before + CLIENTS);
    }

    private Void placeOrders(int client) throws InterruptedException {
        String user = "pause-" + client;
        for (int n = 0; n < ORDERS_PER_CLIENT && nemesisRunning.get(); n++) {
            String key = user + "-" + n;
            Map<String, Object> order = order(n);
            Answer answer = placeUntilFinal(user, key, order, client + n);
            if (answer == null) {
                synchronized (unanswered) {
                    unanswered.add(key);
                }
            } else {
                answers.put(key, answer);
                finals.incrementAndGet();
            }
            Thread.sleep(THINK_TIME.toMillis()); // a customer's think time between two orders
        }
        return null;
    }

    /**
     * One request, retried with the same key and body until a final answer, alternating between the two order
     * instances; 503 (failing dependency, saga admission full), 202 (first request still in flight) and lost
     * connections are retried. Null when the deadline passed without a final answer.
     */
    private Answer placeUntilFinal(String user, String key, Map<String, Object> order, int first) throws InterruptedException {
        String body = Http.write(order);
        Instant deadline = Instant.now().plus(ANSWER_DEADLINE);
        for (int attempt = 0; Instant.now().isBefore(deadline); attempt++) {
            int instance = (first + attempt) % 2;
            inFlight[instance].incrementAndGet();
            try {
                HttpResponse<String> r = Http.post(orders.get(instance).url() + "/orders",
                        Tokens.bearer(SystemUnderTest.JWT_SECRET, user, Instant.now().plusSeconds(3600)), body,
                        Map.of("Idempotency-Key", key));
                statusCounts.computeIfAbsent(r.statusCode(), s -> new AtomicInteger()).incrementAndGet();
                if (FINAL.contains(r.statusCode())) {
                    return new Answer(key, r.statusCode(), Http.json(r).path("orderId").asText(null));
                }
            } catch (IllegalStateException connectionLost) {
                statusCounts.computeIfAbsent(-1, s -> new AtomicInteger()).incrementAndGet();
            } finally {
                inFlight[instance].decrementAndGet();
            }
            Thread.sleep(RETRY_BACKOFF.toMillis()); // a client's backoff before its retry
        }
        return null;
    }

    /** Mostly orders that confirm; some declined, some out of stock, some on a product that sells out. */
    static Map<String, Object> order(int n) {
        return switch (n % 7) {
            case 3 -> Shop.order("pm_card_chargeDeclined", PLENTY, 1);
            case 5 -> Shop.order("pm_card_visa", PLENTY, 1, EMPTY, 1);
            case 1 -> Shop.order("pm_card_mastercard", SCARCE, 1, PLENTY, 1);
            default -> Shop.order("pm_card_visa", PLENTY, 1 + n % 3);
        };
    }

    /** What the four databases and the clients' answers say that must not be; empty when all agree. */
    List<String> violations() {
        List<Map<String, Object>> rows = Databases.query(DATABASES.get("order-service"),
                "SELECT order_id::text AS id, status, coalesce(idempotency_key, released_idempotency_key) AS key FROM orders");
        Map<String, String> payment = column(Databases.query(DATABASES.get("payment-service"),
                "SELECT order_id::text AS id, status AS v FROM payments"));
        Map<String, String> shipments = column(Databases.query(DATABASES.get("shipping-service"),
                "SELECT order_id::text AS id, count(*)::text AS v FROM shipments GROUP BY order_id"));
        Map<String, Answer> answeredByOrder = answers.values().stream().filter(a -> a.orderId() != null)
                .collect(Collectors.toMap(Answer::orderId, a -> a, (a, b) -> a));
        Map<String, List<String>> problems = new TreeMap<>();
        Map<String, Integer> confirmedPerKey = new ConcurrentHashMap<>();
        for (Map<String, Object> row : rows) {
            String id = (String) row.get("id");
            String status = (String) row.get("status");
            String paid = payment.get(id);
            String shipped = shipments.getOrDefault(id, "0");
            Answer answer = answeredByOrder.get(id);
            if ("CONFIRMED".equals(status)) {
                confirmedPerKey.merge((String) row.get("key"), 1, Integer::sum);
                if (!"COMPLETED".equals(paid)) {
                    problem(problems, "CONFIRMED order whose payment is " + paid + " (not one COMPLETED)", id);
                }
                if (!"1".equals(shipped)) {
                    problem(problems, "CONFIRMED order with " + shipped + " shipments", id);
                }
                if (answer == null || answer.status() != 201) {
                    problem(problems, "CONFIRMED order answered " + (answer == null ? "nothing" : answer.status()), id);
                }
            } else if ("FAILED".equals(status)) {
                if ("COMPLETED".equals(paid)) {
                    problem(problems, "FAILED order with a COMPLETED payment", id);
                }
                if (!"0".equals(shipped)) {
                    problem(problems, "FAILED order with a shipment", id);
                }
                if (answer != null && answer.status() == 201) {
                    problem(problems, "FAILED order answered 201", id);
                }
            } else {
                problem(problems, "order " + status, id);
            }
        }
        confirmedPerKey.forEach((key, n) -> {
            if (n > 1) {
                problem(problems, "Idempotency-Key with " + n + " CONFIRMED orders", key);
            }
        });
        Map<String, Long> confirmedUnits = new LinkedHashMap<>();
        for (Map<String, Object> line : Databases.query(DATABASES.get("order-service"),
                "SELECT i.product_id AS sku, sum(i.quantity) AS units FROM orders o JOIN order_items i ON i.order_id = o.order_id "
                        + "WHERE o.status = 'CONFIRMED' GROUP BY i.product_id")) {
            confirmedUnits.put((String) line.get("sku"), ((Number) line.get("units")).longValue());
        }
        List<String> found = new ArrayList<>();
        problems.forEach((what, ids) -> found.add(ids.size() + " x " + what + ": " + ids.stream().limit(5).toList()));
        for (Map<String, Object> product : Databases.query(DATABASES.get("inventory-service"),
                "SELECT product_id AS sku, available, reserved FROM products")) {
            String sku = (String) product.get("sku");
            long expected = INITIAL.get(sku) - confirmedUnits.getOrDefault(sku, 0L);
            long available = ((Number) product.get("available")).longValue();
            long reserved = ((Number) product.get("reserved")).longValue();
            if (available != expected || reserved != 0) {
                found.add(sku + ": available " + available + " (expected " + expected + " = " + INITIAL.get(sku)
                        + " - " + confirmedUnits.getOrDefault(sku, 0L) + " confirmed), reserved " + reserved);
            }
        }
        synchronized (unanswered) {
            if (!unanswered.isEmpty()) {
                found.add(unanswered.size() + " request(s) without a final answer within " + ANSWER_DEADLINE + ": " + unanswered);
            }
        }
        return found;
    }

    private static void problem(Map<String, List<String>> problems, String what, String id) {
        problems.computeIfAbsent(what, w -> new ArrayList<>()).add(id);
    }

    private static Map<String, String> column(List<Map<String, Object>> rows) {
        Map<String, String> byId = new LinkedHashMap<>();
        rows.forEach(r -> byId.put((String) r.get("id"), (String) r.get("v")));
        return byId;
    }

    private String summary(List<String> freezes) {
        Map<String, Long> byStatus = new TreeMap<>();
        Databases.query(DATABASES.get("order-service"), "SELECT status || coalesce(' ' || reason, '') AS s, count(*) AS n FROM orders GROUP BY 1")
                .forEach(r -> byStatus.put((String) r.get("s"), ((Number) r.get("n")).longValue()));
        Map<Integer, Integer> codes = new TreeMap<>();
        statusCounts.forEach((code, n) -> codes.put(code, n.get()));
        Map<Integer, Long> finalCodes = answers.values().stream()
                .collect(Collectors.groupingBy(Answer::status, TreeMap::new, Collectors.counting()));
        return "pause nemesis: " + answers.size() + " requests answered finally " + finalCodes + "; every answer (-1: connection lost) "
                + codes + "; orders " + byStatus + "; " + freezes;
    }
}
