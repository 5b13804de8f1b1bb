package shop.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import shop.systemtests.Databases;
import shop.systemtests.FreePorts;
import shop.systemtests.Http;
import shop.systemtests.ServiceProcess;
import shop.systemtests.SystemUnderTest;
import shop.systemtests.Tokens;
import shop.systemtests.Vhosts;

/**
 * The four service jars as {@code bin/run} starts them (same JVM options, default settings, simulated payment
 * provider and carrier) against databases {@code <db>_bench} and a RabbitMQ vhost {@code shop-bench} of their own,
 * both created afresh, so a run neither sees nor disturbs a development system or the tests.
 */
final class BenchSystem implements AutoCloseable {

    static final String VHOST = "shop-bench";
    static final String JWT_SECRET = "benchmark-jwt-secret-0123456789abcdef0123456789";
    static final String OPERATOR = Http.basic("operator", "operator-bench-password");
    static final Map<String, String> DATABASES = SystemUnderTest.databases("_bench");
    /** Started one after the other, so each startup time is the service's own, not a contest for two cores. */
    static final List<String> START_ORDER = List.of("inventory-service", "payment-service", "shipping-service", "order-service");

    private final Map<String, ServiceProcess> services = new LinkedHashMap<>();
    private final Map<String, Duration> startup = new LinkedHashMap<>();

    private final AotCache.Mode aot;

    /** {@code aot}: whether each service writes its AOT cache at exit (training), reads it, or neither. */
    BenchSystem(BenchSettings settings, AotCache.Mode aot) throws IOException {
        this.aot = aot;
        Path logs = settings.root().resolve(aot == AotCache.Mode.TRAIN ? "bench/target/bench-logs/aot-training" : "bench/target/bench-logs");
        Files.createDirectories(logs);
        recreateDatabases();
        Vhosts.recreate(VHOST);
        int base = FreePorts.find(START_ORDER.size());
        for (int i = 0; i < START_ORDER.size(); i++) {
            String name = START_ORDER.get(i);
            Path jar = settings.root().resolve(name).resolve("target").resolve(name + ".jar");
            if (!Files.exists(jar)) {
                throw new IllegalStateException(jar + " is missing: build with ./mvnw -DskipTests package");
            }
            Files.deleteIfExists(logs.resolve(name + "-" + (base + i) + ".log"));
            List<String> jvmOptions = new ArrayList<>(settings.jvmOptions());
            jvmOptions.addAll(AotCache.options(aot, settings, name));
            services.put(name, new ServiceProcess(name, jar, logs, base + i, environment(name), jvmOptions, settings.javaHome()));
        }
        Runtime.getRuntime().addShutdownHook(new Thread(this::close));
    }

    /** Starts each service and waits for its {@code /ready}: the startup time is launch to ready. */
    void start() {
        for (ServiceProcess service : services.values()) {
            long started = System.nanoTime();
            service.start();
            service.awaitReady(Duration.ofMillis(50));
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            startup.put(service.name(), took);
            System.out.printf("started %-17s on :%d in %.1f s (log: %s)%n", service.name(), service.port(),
                    took.toMillis() / 1000.0, service.log());
        }
    }

    Map<String, Duration> startup() {
        return startup;
    }

    List<ServiceProcess> services() {
        return List.copyOf(services.values());
    }

    String orderUrl() {
        return services.get("order-service").url();
    }

    String customer(String userId) {
        return Tokens.bearer(JWT_SECRET, userId, Instant.now().plusSeconds(24 * 3600));
    }

    /** {@code BENCH-001} .. : stock enough that no order fails for want of it, one price. */
    List<String> stockProducts(int count, int available) {
        String inventory = services.get("inventory-service").url();
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            String id = String.format("BENCH-%03d", i);
            var response = Http.put(inventory + "/products/" + id, OPERATOR,
                    "{\"name\":\"Bench product " + i + "\",\"priceCents\":1999,\"currency\":\"USD\",\"available\":" + available + "}");
            if (response.statusCode() / 100 != 2) {
                throw new IllegalStateException("stocking " + id + " answered " + response.statusCode() + ": " + response.body());
            }
            ids.add(id);
        }
        return ids;
    }

    private Map<String, String> environment(String name) {
        Map<String, String> env = SystemUnderTest.requiredEnvironment(DATABASES.get(name), JWT_SECRET,
                "operator-bench-password", "viewer-bench-password");
        env.put("RABBITMQ_VHOST", VHOST);
        // everything else (DB_POOL_SIZE, RABBITMQ_PREFETCH, OUTBOX_POLL_INTERVAL_MS, ...) comes from the environment
        // the benchmark runs in, which the service processes inherit: a run can try a setting without a rebuild
        return env;
    }

    /** A single number from a service's own database. */
    long count(String service, String sql) {
        return Databases.count(DATABASES.get(service), sql);
    }

    private static void recreateDatabases() {
        DATABASES.values().forEach(Databases::recreate);
    }

    @Override
    public synchronized void close() {
        List<ServiceProcess> reversed = new ArrayList<>(services.values());
        Collections.reverse(reversed);
        // a training JVM writes its AOT cache as it exits: give it the time
        Duration grace = aot == AotCache.Mode.TRAIN ? AotCache.WRITE_GRACE : Duration.ofSeconds(30);
        reversed.forEach(service -> service.stop(grace));
    }
}
