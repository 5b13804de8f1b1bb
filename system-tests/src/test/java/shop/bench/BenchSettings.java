package shop.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import shop.systemtests.ServiceProcess;

/**
 * What one benchmark run does, from environment variables (defaults are the yardstick: floor at 16
 * pgbench clients, throughput at 32 connections over 100 products, latency at 4 connections).
 */
record BenchSettings(
        Path root,
        String label,
        List<String> jvmOptions,
        int products,
        int floorClients,
        Duration floorDuration,
        Duration messagingFloorDuration,
        int throughputConnections,
        Duration warmUp,
        Duration throughputDuration,
        int latencyConnections,
        Duration latencyDuration,
        boolean writeReport) {


    static BenchSettings fromEnvironment() {
        Path root = Path.of(System.getProperty("shop.root", ".")).toAbsolutePath().normalize();
        // the services as bin/run starts them, unless JAVA_OPTS says otherwise
        String javaOpts = env("JAVA_OPTS", String.join(" ", ServiceProcess.JVM_OPTIONS));
        return new BenchSettings(
                root,
                env("BENCH_LABEL", ""),
                Arrays.stream(javaOpts.trim().split("\\s+")).filter(s -> !s.isEmpty()).toList(),
                Integer.parseInt(env("BENCH_PRODUCTS", "100")),
                Integer.parseInt(env("BENCH_FLOOR_CLIENTS", "16")),
                seconds("BENCH_FLOOR_SECONDS", 30),
                seconds("BENCH_MESSAGING_FLOOR_SECONDS", 15),
                Integer.parseInt(env("BENCH_CONNECTIONS", "32")),
                seconds("BENCH_WARMUP_SECONDS", 30),
                seconds("BENCH_SECONDS", 60),
                Integer.parseInt(env("BENCH_LATENCY_CONNECTIONS", "4")),
                seconds("BENCH_LATENCY_SECONDS", 30),
                !"false".equals(env("BENCH_WRITE_REPORT", "true")));
    }

    private static Duration seconds(String name, int defaultSeconds) {
        return Duration.ofSeconds(Integer.parseInt(env(name, Integer.toString(defaultSeconds))));
    }

    private static String env(String name, String defaultValue) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? defaultValue : value;
    }
}
