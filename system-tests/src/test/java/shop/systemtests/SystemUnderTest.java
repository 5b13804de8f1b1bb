package shop.systemtests;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;

/**
 * The whole system, started once per test run: the four service jars as separate processes on free
 * ports against the real RabbitMQ and PostgreSQL, each with a database of its own for the tests
 * ({@code <db>_st}, dropped and created afresh). Only the carrier is a stub.
 *
 * <p>A test that needs a system of its own (another broker, e.g. {@link RabbitCluster}) starts one with
 * {@link #startOwn}: databases {@code <db><suffix>}, the broker its environment names, stopped by {@link #shutdown}.
 */
public final class SystemUnderTest {

    public static final String JWT_SECRET = "system-tests-jwt-secret-0123456789abcdef0123";
    public static final String OPERATOR = Http.basic("operator", "operator-st-password");
    public static final String VIEWER = Http.basic("viewer", "viewer-st-password");

    static final List<String> QUEUES = List.of("inventory.commands", "payment.commands", "shipping.order-confirmed",
            "inventory.commands.dlq", "payment.commands.dlq", "shipping.order-confirmed.dlq");
    static final Map<String, String> DATABASES = databases("_st");

    private static SystemUnderTest instance;

    public final ServiceProcess orders;
    public final ServiceProcess inventory;
    public final ServiceProcess payments;
    public final ServiceProcess shipping;
    public final CarrierStub carrier;
    public final OtlpReceiver traces;
    private final Map<String, String> databases;
    private final Map<String, String> broker;
    private final Map<String, Map<String, String>> perService;

    public static synchronized SystemUnderTest get() {
        if (instance == null) {
            instance = new SystemUnderTest(DATABASES, Map.of(), Map.of());
        }
        return instance;
    }

    /**
     * A system of its own, beside the shared one: databases {@code <db><suffix>} (created afresh), every service
     * with {@code brokerEnvironment} (RABBITMQ_* of another broker) added to its environment. The caller stops it.
     */
    public static SystemUnderTest startOwn(String suffix, Map<String, String> brokerEnvironment) {
        return startOwn(suffix, brokerEnvironment, Map.of());
    }

    /** Like {@link #startOwn(String, Map)}, with more environment for single services (service name to variables). */
    public static SystemUnderTest startOwn(String suffix, Map<String, String> brokerEnvironment,
            Map<String, Map<String, String>> serviceEnvironment) {
        return new SystemUnderTest(databases(suffix), brokerEnvironment, serviceEnvironment);
    }

    private SystemUnderTest(Map<String, String> databases, Map<String, String> broker, Map<String, Map<String, String>> perService) {
        this.databases = databases;
        this.broker = Map.copyOf(broker);
        this.perService = Map.copyOf(perService);
        // before anything starts: a failed start must not leave services running
        Runtime.getRuntime().addShutdownHook(new Thread(this::shutdown));
        Path logs = serviceLogs();
        databases.values().forEach(Databases::recreate);
        if (broker.isEmpty()) { // the local broker; a broker of its own is prepared by its caller
            Vhosts.applyPolicies(Vhosts.services());
            purgeQueues();
        }
        carrier = new CarrierStub();
        traces = new OtlpReceiver();
        int base = FreePorts.find(4);
        orders = service("order-service", base, logs);
        inventory = service("inventory-service", base + 1, logs);
        payments = service("payment-service", base + 2, logs);
        shipping = service("shipping-service", base + 3, logs);
        List<ServiceProcess> all = List.of(inventory, payments, shipping, orders);
        try {
            all.forEach(ServiceProcess::start);
            all.forEach(ServiceProcess::awaitReady);
        } catch (RuntimeException e) {
            shutdown(); // nobody else holds this instance yet
            throw e;
        }
    }

    /** The environment of one service: CONTRACT.md's variables plus test-speed settings, then this system's broker. */
    public Map<String, String> environment(String name) {
        Map<String, String> env = testEnvironment(databases.get(name), carrier.url());
        env.put("OTEL_EXPORTER_OTLP_ENDPOINT", traces.endpoint());
        env.putAll(broker);
        env.putAll(perService.getOrDefault(name, Map.of()));
        return env;
    }

    /**
     * The test-speed environment of a service on database {@code database}, for this system and for systems a
     * test starts of its own. The stale window and the timeouts keep the order service's lease rule (docs/saga.md,
     * "Timeouts and the stale window"): 3000 reply + 1000 pool wait + 1000 validation + 2000 transaction + 3000
     * socket + 1000 margin <= 12 000 ms.
     */
    static Map<String, String> testEnvironment(String database, String carrierUrl) {
        Map<String, String> env = requiredEnvironment(database, JWT_SECRET, "operator-st-password", "viewer-st-password");
        env.put("SHIPPING_CARRIER_URL", carrierUrl);
        env.put("SAGA_STALE_AFTER_SECONDS", "12");
        env.put("DB_CONNECTION_TIMEOUT_MS", "1000");
        env.put("DB_TRANSACTION_TIMEOUT_SECONDS", "2");
        env.put("DB_SOCKET_TIMEOUT_SECONDS", "3");
        env.put("DB_STATEMENT_TIMEOUT_MS", "2000");
        env.put("SAGA_RECOVERY_INTERVAL_MS", "1000");
        env.put("DEADLETTER_MAX_ATTEMPTS", "3");
        env.put("DEADLETTER_INITIAL_DELAY_MS", "200");
        env.put("OUTBOX_POLL_INTERVAL_MS", "100");
        env.put("BREAKER_WAIT_IN_OPEN_STATE_SECONDS", "5");
        return env;
    }

    /**
     * What every service needs to start (CONTRACT.md): its database, the JWT secret, and the logins of the
     * {@code operator} and the {@code viewer}; for the tests' systems and the benchmark's.
     */
    public static Map<String, String> requiredEnvironment(String database, String jwtSecret, String operatorPassword,
            String viewerPassword) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("SHOP_DB_NAME", database);
        env.put("AUTH_JWT_SECRET", jwtSecret);
        env.put("OPERATOR_USERNAME", "operator");
        env.put("OPERATOR_PASSWORD", operatorPassword);
        env.put("VIEWER_USERNAME", "viewer");
        env.put("VIEWER_PASSWORD", viewerPassword);
        return env;
    }

    public ServiceProcess service(String name, int port, Path logs) {
        return service(name, port, logs, Map.of());
    }

    /** Another instance of a service, with its environment changed by {@code overrides}. */
    public ServiceProcess service(String name, int port, Path logs, Map<String, String> overrides) {
        Map<String, String> env = environment(name);
        env.putAll(overrides);
        return new ServiceProcess(name, jar(name), logs, port, env);
    }

    public Path logs() {
        return serviceLogs();
    }

    /** The repository's root directory (failsafe passes it as {@code shop.root}). */
    static Path root() {
        return Path.of(System.getProperty("shop.root", "..")).toAbsolutePath().normalize();
    }

    /** The executable jar {@code ./mvnw package} left for a service. */
    static Path jar(String service) {
        return root().resolve(service).resolve("target").resolve(service + ".jar");
    }

    /** Where the services' logs go (created when missing). */
    static Path serviceLogs() {
        Path logs = root().resolve("system-tests/target/service-logs");
        try {
            Files.createDirectories(logs);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return logs;
    }

    public String customer(String userId) {
        return Tokens.bearer(JWT_SECRET, userId, Instant.now().plusSeconds(3600));
    }

    /** The database of a service in this system. */
    public String database(String service) {
        return databases.get(service);
    }

    public synchronized void shutdown() {
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

    /** The database of each service: {@code <db><suffix>}. */
    public static Map<String, String> databases(String suffix) {
        return Map.of("order-service", "orders" + suffix, "inventory-service", "inventory" + suffix,
                "payment-service", "payments" + suffix, "shipping-service", "shipping" + suffix);
    }

    static void purge(String queue) {
        ConnectionFactory factory = Vhosts.factory();
        try (Connection c = factory.newConnection(); Channel ch = c.createChannel()) {
            ch.queuePurge(queue);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A statement against a service's own database, to set up what a crash would have left behind. */
    public void execute(String service, String sql, Object... args) {
        Databases.execute(databases.get(service), sql, args);
    }

    static void purgeQueues() {
        ConnectionFactory factory = Vhosts.factory();
        try (Connection c = factory.newConnection()) {
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
        return Databases.query(databases.get(service), sql, args);
    }

    /** A query against a service's own database, for assertions on state the API does not show. */
    public long count(String service, String sql, Object... args) {
        return Databases.count(databases.get(service), sql, args);
    }
}
