package shop.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * {@code BENCH_AOT=train}: an AOT cache per service (JDK 25, JEP 483/514/515: classes loaded and linked, method
 * profiles). Before the measured run the four services run once with {@code -XX:AOTCacheOutput} under the warm-up's
 * load for the warm-up's duration, then stop (SIGTERM) and each JVM writes its cache as it exits; the measured run
 * starts them with {@code -XX:AOTCache}, in databases and a vhost created afresh.
 */
final class AotCache {

    enum Mode { OFF, TRAIN, USE }

    /** A JVM assembles its cache at exit in a second JVM: minutes on a busy 2-core machine are possible. */
    static final Duration WRITE_GRACE = Duration.ofMinutes(3);

    static List<String> options(Mode mode, BenchSettings settings, String service) {
        return switch (mode) {
            case OFF -> List.of();
            case TRAIN -> List.of("-XX:AOTCacheOutput=" + file(settings, service));
            case USE -> List.of("-XX:AOTCache=" + file(settings, service));
        };
    }

    /** The training run; fails when a service wrote no cache. */
    static void train(BenchSettings settings) throws IOException, InterruptedException {
        for (String service : BenchSystem.START_ORDER) {
            Files.createDirectories(file(settings, service).getParent());
            Files.deleteIfExists(file(settings, service));
        }
        try (BenchSystem system = new BenchSystem(settings, Mode.TRAIN)) {
            system.start();
            List<String> products = system.stockProducts(settings.products(), Benchmark.STOCK_PER_PRODUCT);
            new LoadGenerator(system, products).run("aot training", settings.throughputConnections(), settings.warmUp());
        }
        for (String service : BenchSystem.START_ORDER) {
            Path cache = file(settings, service);
            if (!Files.exists(cache)) {
                throw new IllegalStateException(service + " wrote no AOT cache " + cache + ": see bench/target/bench-logs/aot-training");
            }
            System.out.printf("AOT cache %-17s %.0f MiB%n", service, Files.size(cache) / (1024.0 * 1024));
        }
    }

    private static Path file(BenchSettings settings, String service) {
        return settings.root().resolve("bench/target/aot").resolve(service + ".aot");
    }

    private AotCache() {
    }
}
