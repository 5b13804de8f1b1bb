package shop.systemtests;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/** One service jar running as its own process, as an operator would start it: a port and environment. */
public final class ServiceProcess {

    private final String name;
    private final Path jar;
    private final Path log;
    private final Map<String, String> env;
    private final int port;
    private final List<String> jvmOptions;
    private final Path javaHome;
    private Process process;

    /**
     * The JVM options of bin/run, the system tests and the benchmark (ADR 11); the images say the same relative to
     * the container's limit (JvmOptionsIT checks both).
     */
    public static final List<String> JVM_OPTIONS = List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

    ServiceProcess(String name, Path jar, Path logDir, int port, Map<String, String> env) {
        this(name, jar, logDir, port, env, JVM_OPTIONS);
    }

    public ServiceProcess(String name, Path jar, Path logDir, int port, Map<String, String> env, List<String> jvmOptions) {
        this(name, jar, logDir, port, env, jvmOptions, Path.of(System.getProperty("java.home")));
    }

    /** Run by the JVM in {@code javaHome} instead of the one running this code (the benchmark's BENCH_JAVA_HOME). */
    public ServiceProcess(String name, Path jar, Path logDir, int port, Map<String, String> env, List<String> jvmOptions,
                          Path javaHome) {
        this.name = name;
        this.jvmOptions = List.copyOf(jvmOptions);
        this.javaHome = javaHome;
        this.jar = jar;
        this.port = port;
        this.log = logDir.resolve(name + "-" + port + ".log");
        this.env = new HashMap<>(env);
        this.env.put("SERVER_PORT", Integer.toString(port));
    }

    public String name() {
        return name;
    }

    public int port() {
        return port;
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public Path log() {
        return log;
    }

    public synchronized void start() {
        if (process != null && process.isAlive()) {
            return;
        }
        List<String> command = new ArrayList<>();
        command.add(javaHome.resolve("bin").resolve("java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", ExtractedJar.of(jar).toString()));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(env);
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + name, e);
        }
    }

    public void awaitReady() {
        awaitReady(Duration.ofMillis(250));
    }

    public void awaitReady(Duration pollInterval) {
        await(name + " ready on " + port).atMost(Duration.ofSeconds(120)).pollInterval(pollInterval)
                .ignoreExceptions()
                .until(() -> {
                    if (process == null || !process.isAlive()) {
                        throw new IllegalStateException(name + " exited; see " + log);
                    }
                    return Http.get(url() + "/ready", null).statusCode() == 200;
                });
    }

    /** Like {@code kill -9}: no shutdown hooks, nothing flushed. */
    public synchronized void kill() {
        if (process != null) {
            process.destroyForcibly();
            try {
                process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** SIGTERM: graceful shutdown. */
    public void stop() {
        stop(Duration.ofSeconds(30));
    }

    /** SIGTERM, then {@code kill -9} if the process has not exited within {@code grace}. */
    public synchronized void stop(Duration grace) {
        if (process != null && process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly().waitFor();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** {@code kill -STOP}: the process freezes where it is (a long GC pause, a frozen VM); its sockets stay open. */
    public void pause() {
        signal("-STOP");
    }

    /** {@code kill -CONT}: a paused process goes on as if nothing happened. */
    public void resume() {
        signal("-CONT");
    }

    private synchronized void signal(String signal) {
        if (alive()) {
            Commands.require("kill", signal, Long.toString(pid()));
        }
    }

    /** The JVM's process id (the jar runs directly under {@code java}, no wrapper). */
    public long pid() {
        return process.pid();
    }

    public boolean alive() {
        return process != null && process.isAlive();
    }

    public String logText() {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static String javaBin() {
        return System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    }
}
