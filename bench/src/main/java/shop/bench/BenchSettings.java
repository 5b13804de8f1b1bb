package shop.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import shop.systemtests.ServiceProcess;

/**
 * What one benchmark run does, from environment variables (defaults are the issues' yardstick: floor at 16
 * pgbench clients, throughput at 32 connections over 100 products, latency open loop at half that throughput).
 * {@code BENCH_JAVA_HOME} is the JDK that runs the services (default: the one running the benchmark);
 * {@code BENCH_AOT=train} gives each service an AOT cache trained before the measured run (JDK 25, {@link AotCache}).
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
        Duration latencyDuration,
        boolean writeReport,
        Path javaHome,
        boolean aotTrain) {


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
                seconds("BENCH_LATENCY_SECONDS", 30),
                !"false".equals(env("BENCH_WRITE_REPORT", "true")),
                Path.of(env("BENCH_JAVA_HOME", System.getProperty("java.home"))),
                "train".equals(env("BENCH_AOT", "")));
    }

    /** The services' runtime as the report names it. */
    String runtime() {
        return javaHome + (aotTrain ? ", AOT cache trained" : "");
    }

    private static Duration seconds(String name, int defaultSeconds) {
        return Duration.ofSeconds(Integer.parseInt(env(name, Integer.toString(defaultSeconds))));
    }

    private static String env(String name, String defaultValue) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? defaultValue : value;
    }
}
