package shop.systemtests;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConnectionFactory;

/**
 * The whole system, started once per test run: the four service jars as separate processes on free
 * ports against the real RabbitMQ and PostgreSQL, each with a database of its own for the tests
 * ({@code <db>_st}, dropped and created afresh). Only the carrier is a stub.
 */
public final class SystemUnderTest {

    public static final String JWT_SECRET = "system-tests-jwt-secret-0123456789abcdef0123";
    public static final String OPERATOR = Http.basic("operator", "operator-st-password");
    public static final String VIEWER = Http.basic("viewer", "viewer-st-password");

    static final List<String> QUEUES = List.of("inventory.commands", "payment.commands", "shipping.order-confirmed",
            "inventory.commands.dlq", "payment.commands.dlq", "shipping.order-confirmed.dlq");
    static final Map<String, String> DATABASES = Map.of(
            "order-service", "orders_st", "inventory-service", "inventory_st",
            "payment-service", "payments_st", "shipping-service", "shipping_st");

    private static SystemUnderTest instance;

    public final ServiceProcess orders;
    public final ServiceProcess inventory;
    public final ServiceProcess payments;
    public final ServiceProcess shipping;
    public final CarrierStub carrier;
    public final OtlpReceiver traces;
    private final Path root;

    public static synchronized SystemUnderTest get() {
        if (instance == null) {
            instance = new SystemUnderTest();
        }
        return instance;
    }

    private SystemUnderTest() {
        // before anything starts: a failed start must not leave services running
        Runtime.getRuntime().addShutdownHook(new Thread(this::shutdown));
        root = Path.of(System.getProperty("shop.root", "..")).toAbsolutePath().normalize();
        Path logs = root.resolve("system-tests/target/service-logs");
        try {
            Files.createDirectories(logs);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        recreateDatabases();
        Vhosts.applyPolicies(Vhosts.services());
        purgeQueues();
        carrier = new CarrierStub();
        traces = new OtlpReceiver();
        int base = FreePorts.find(4);
        orders = service("order-service", base, logs);
        inventory = service("inventory-service", base + 1, logs);
        payments = service("payment-service", base + 2, logs);
        shipping = service("shipping-service", base + 3, logs);
        List<ServiceProcess> all = List.of(inventory, payments, shipping, orders);
        all.forEach(ServiceProcess::start);
        all.forEach(ServiceProcess::awaitReady);
    }

    /** The environment of one service: CONTRACT.md's variables plus test-speed settings. */
    public Map<String, String> environment(String name) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("SHOP_DB_NAME", DATABASES.get(name));
        env.put("AUTH_JWT_SECRET", JWT_SECRET);
        env.put("OPERATOR_USERNAME", "operator");
        env.put("OPERATOR_PASSWORD", "operator-st-password");
        env.put("VIEWER_USERNAME", "viewer");
        env.put("VIEWER_PASSWORD", "viewer-st-password");
        env.put("SHIPPING_CARRIER_URL", carrier.url());
        env.put("OTEL_EXPORTER_OTLP_ENDPOINT", traces.endpoint());
        env.put("SAGA_STALE_AFTER_SECONDS", "8");
        env.put("SAGA_RECOVERY_INTERVAL_MS", "1000");
        env.put("DEADLETTER_MAX_ATTEMPTS", "3");
        env.put("DEADLETTER_INITIAL_DELAY_MS", "200");
        env.put("OUTBOX_POLL_INTERVAL_MS", "100");
        env.put("BREAKER_WAIT_IN_OPEN_STATE_SECONDS", "5");
        return env;
    }

    public ServiceProcess service(String name, int port, Path logs) {
        return service(name, port, logs, Map.of());
    }

    /** Another instance of a service, with its environment changed by {@code overrides}. */
    public ServiceProcess service(String name, int port, Path logs, Map<String, String> overrides) {
        Map<String, String> env = environment(name);
        env.putAll(overrides);
        return new ServiceProcess(name, root.resolve(name).resolve("target").resolve(name + ".jar"), logs, port, env);
    }

    public Path logs() {
        return root.resolve("system-tests/target/service-logs");
    }

    public String customer(String userId) {
        return Tokens.bearer(JWT_SECRET, userId, Instant.now().plusSeconds(3600));
    }

    public void shutdown() {
        for (ServiceProcess p : new ServiceProcess[] {orders, shipping, payments, inventory}) {
            if (p != null) {
                p.kill();
            }
        }
        if (carrier != null) {
            carrier.close();
        }
        if (traces != null) {
            traces.close();
        }
    }

    static void recreateDatabases() {
        DATABASES.values().forEach(Databases::recreate);
    }

    static void purge(String queue) {
        ConnectionFactory factory = Vhosts.factory();
        try (com.rabbitmq.client.Connection c = factory.newConnection(); Channel ch = c.createChannel()) {
            ch.queuePurge(queue);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A statement against a service's own database, to set up what a crash would have left behind. */
    public void execute(String service, String sql, Object... args) {
        Databases.execute(DATABASES.get(service), sql, args);
    }

    static void purgeQueues() {
        ConnectionFactory factory = Vhosts.factory();
        try (com.rabbitmq.client.Connection c = factory.newConnection()) {
            for (String queue : QUEUES) {
                Channel ch = c.createChannel();
                try {
                    ch.queuePurge(queue);
                    ch.close();
                } catch (Exception missing) {
                    // not declared yet: nothing to purge
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException("RabbitMQ must run on 127.0.0.1:5672 with vhost " + Vhosts.services() + " (see README)", e);
        }
    }

    /** Rows of a query against a service's own database, for assertions on state the API does not show. */
    public List<Map<String, Object>> query(String service, String sql, Object... args) {
        return Databases.query(DATABASES.get(service), sql, args);
    }

    /** A query against a service's own database, for assertions on state the API does not show. */
    public long count(String service, String sql, Object... args) {
        return Databases.count(DATABASES.get(service), sql, args);
    }
}
