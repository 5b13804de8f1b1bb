package shop.systemtests;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;

/**
 * A RabbitMQ cluster of its own on this machine, started from the installed {@code rabbitmq-server}: every node
 * has its own node name, AMQP and distribution port, data (mnesia) and log folder under {@code base}, no plugins,
 * and the cluster has an Erlang cookie of its own ({@code base/home/.erlang.cookie}, found through HOME by the
 * nodes and by the CLI alike). The machine's broker ({@code rabbit@localhost}, 5672/25672, /var/lib/rabbitmq,
 * /etc/rabbitmq) is never used: its env file and config are replaced by files under {@code base}. epmd (4369)
 * is shared, as on any machine with more than one Erlang node.
 *
 * <p>Nodes run as child processes of this JVM. {@link #close()} stops exactly the nodes this harness started;
 * a node left behind by a killed earlier run (its pid file under {@code base}) is stopped before a new start.
 */
public final class RabbitCluster implements AutoCloseable {

    public static final Path SBIN = Path.of("/usr/lib/rabbitmq/bin");
    private static final Duration NODE_START = Duration.ofSeconds(90);
    private static final Duration CLI = Duration.ofSeconds(60);

    /** One node: its name, ports and folders; {@code process} is the rabbitmq-server script while it runs. */
    public final class Node {
        public final String name;
        public final int amqpPort;
        public final int distPort;
        final Path dir;
        private Process process;

        Node(String name, int amqpPort, int distPort, Path dir) {
            this.name = name;
            this.amqpPort = amqpPort;
            this.distPort = distPort;
            this.dir = dir;
        }

        Path pidFile() {
            return dir.resolve("node.pid");
        }

        Path log() {
            return dir.resolve("log").resolve(name + ".log");
        }

        public boolean running() {
            return process != null && process.isAlive();
        }

        /** The Erlang VM's process id, from the pid file the node writes when it boots. */
        Optional<Long> vmPid() {
            try {
                String pid = Files.exists(pidFile()) ? Files.readString(pidFile()).trim() : "";
                return pid.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(pid));
            } catch (IOException | NumberFormatException e) {
                return Optional.empty();
            }
        }

        @Override
        public String toString() {
            return name + " (amqp " + amqpPort + ")";
        }
    }

    private final Path base;
    private final Path home;
    private final List<Node> nodes = new ArrayList<>();
    private final int ctlPortMin;
    private final Thread hook = new Thread(this::stopAll, "rabbit-cluster-stop");

    /** Prepares {@code size} nodes named {@code <prefix>-1@localhost}... on free ports; nothing runs yet. */
    public RabbitCluster(Path base, String prefix, int size) {
        this.base = base.toAbsolutePath().normalize();
        this.home = this.base.resolve("home");
        // per node an AMQP and a distribution port, then a range for the CLI tools' own distribution ports
        int first = FreePorts.find(2 * size + 10);
        for (int i = 0; i < size; i++) {
            String name = prefix + "-" + (i + 1) + "@localhost";
            nodes.add(new Node(name, first + i, first + size + i, this.base.resolve("nodes").resolve(prefix + "-" + (i + 1))));
        }
        ctlPortMin = first + 2 * size;
    }

    public List<Node> nodes() {
        return List.copyOf(nodes);
    }

    public Node node(int index) {
        return nodes.get(index);
    }

    /** The AMQP addresses of every node, as RABBITMQ_ADDRESSES takes them: {@code host:port,host:port,...}. */
    public String addresses() {
        return nodes.stream().map(n -> "127.0.0.1:" + n.amqpPort).collect(Collectors.joining(","));
    }

    /**
     * A fresh cluster: earlier data of this harness deleted, every node started, the others joined to the first.
     * Returns how long it took.
     */
    public Duration start() {
        long t0 = System.nanoTime();
        Runtime.getRuntime().addShutdownHook(hook);
        stopLeftovers();
        prepareFiles();
        eachAtOnce(nodes, this::startNode);
        log("nodes up", t0);
        Node seed = nodes.get(0);
        eachAtOnce(nodes.subList(1, nodes.size()), n -> {
            synchronized (seed) { // one join at a time: each changes the cluster's membership
                ctl(n, "stop_app");
                ctl(n, "join_cluster", seed.name);
            }
            ctl(n, "start_app");
            awaitAmqp(n);
        });
        log("joined", t0);
        awaitRunningNodes(nodes.size());
        log("cluster of " + nodes.size() + " running", t0);
        return Duration.ofNanos(System.nanoTime() - t0);
    }

    /** Starts a stopped node (it rejoins its cluster from its own data) and waits until it takes AMQP connections. */
    public void startNode(Node node) {
        synchronized (node) {
            if (node.running()) {
                return;
            }
            try {
                Files.deleteIfExists(node.pidFile());
                Files.createDirectories(node.dir.resolve("log"));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            ProcessBuilder builder = new ProcessBuilder(SBIN.resolve("rabbitmq-server").toString())
                    .directory(node.dir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(node.dir.resolve("stdout.log").toFile()));
            builder.environment().putAll(serverEnvironment(node));
            try {
                node.process = builder.start();
            } catch (IOException e) {
                throw new IllegalStateException("cannot start " + node.name, e);
            }
        }
        long t0 = System.nanoTime();
        awaitAmqp(node);
        log(node.name + " takes connections", t0);
    }

    /** Stops a node gracefully ({@code rabbitmqctl stop}, as an operator would) and waits for its VM to exit. */
    public void stopNode(Node node) {
        synchronized (node) {
            if (!node.running()) {
                return;
            }
            Commands.Result r = cli(node, "stop", node.pidFile().toString());
            if (!r.ok()) {
                System.err.println("rabbitmqctl stop of " + node.name + " failed, killing it: " + r.output());
                killNode(node);
                return;
            }
            awaitExit(node, Duration.ofSeconds(60));
        }
    }

    /** Like a crash: {@code kill -9} of the node's Erlang VM, nothing flushed, no goodbye to its peers. */
    public void killNode(Node node) {
        synchronized (node) {
            node.vmPid().flatMap(ProcessHandle::of).ifPresent(ProcessHandle::destroyForcibly);
            if (node.process != null) {
                node.process.descendants().forEach(ProcessHandle::destroyForcibly);
                node.process.destroyForcibly();
            }
            awaitExit(node, Duration.ofSeconds(30));
        }
    }

    /** Every node stopped, then all started again together (a node waits at boot for the peers it last saw). */
    public Duration restart() {
        long t0 = System.nanoTime();
        // the last one stopped holds the newest view; starting all at once lets them find each other
        for (Node n : nodes) {
            stopNode(n);
        }
        eachAtOnce(nodes, this::startNode);
        awaitRunningNodes(nodes.size());
        return Duration.ofNanos(System.nanoTime() - t0);
    }

    /** The node that leads a quorum queue now, as the cluster reports it. */
    public Node leaderOf(String vhost, String queue) {
        return leaders(vhost).entrySet().stream().filter(e -> e.getKey().equals(queue)).map(Map.Entry::getValue)
                .findFirst().orElseThrow(() -> new IllegalStateException("no leader for " + queue + " in " + leaders(vhost)));
    }

    /** Queue name to leading node, for the quorum queues of a vhost (classic queues: their node). */
    public Map<String, Node> leaders(String vhost) {
        String out = ctl(anyRunning(), "-q", "list_queues", "-p", vhost, "--no-table-headers", "name", "leader");
        Map<String, Node> leaders = new LinkedHashMap<>();
        for (String line : out.split("\n")) {
            String[] cols = line.trim().split("\\s+");
            if (cols.length == 2) {
                nodes.stream().filter(n -> n.name.equals(cols[1])).findFirst().ifPresent(n -> leaders.put(cols[0], n));
            }
        }
        return leaders;
    }

    /** A rabbitmqctl command against a running node; fails with its output when it fails. */
    public String ctl(String... args) {
        return ctl(anyRunning(), args);
    }

    public String ctl(Node node, String... args) {
        Commands.Result r = cli(node, args);
        if (!r.ok()) {
            throw new IllegalStateException("rabbitmqctl -n " + node.name + " " + String.join(" ", args) + " failed (exit "
                    + r.exit() + "):\n" + r.output());
        }
        return r.output();
    }

    /** Any other CLI tool of the installation (rabbitmq-queues, rabbitmq-diagnostics) against a node. */
    public Commands.Result tool(String tool, Node node, String... args) {
        List<String> command = new ArrayList<>(List.of(SBIN.resolve(tool).toString(), "-n", node.name));
        command.addAll(List.of(args));
        return Commands.run(command, base, CLI, cliEnvironment());
    }

    /**
     * A script of the repository that drives rabbitmqctl through {@code $RABBITMQCTL} (bin/apply-policies), pointed
     * at a running node of this cluster with this cluster's cookie; fails with its output when it fails.
     */
    public String script(Path script, String... args) {
        List<String> command = new ArrayList<>(List.of(script.toString()));
        command.addAll(List.of(args));
        Map<String, String> env = cliEnvironment();
        env.put("RABBITMQCTL", SBIN.resolve("rabbitmqctl") + " -n " + anyRunning().name);
        Commands.Result r = Commands.run(command, base, Duration.ofMinutes(2), env);
        if (!r.ok()) {
            throw new IllegalStateException(String.join(" ", command) + " failed (exit " + r.exit() + "):\n" + r.output());
        }
        return r.output();
    }

    public Node anyRunning() {
        return nodes.stream().filter(Node::running).findFirst().orElseThrow(() -> new IllegalStateException("no node runs"));
    }

    public void awaitRunningNodes(int count) {
        await("cluster of " + count + " running nodes").atMost(NODE_START).pollInterval(Duration.ofMillis(500))
                .ignoreExceptions().until(() -> {
                    String status = ctl(anyRunning(), "-q", "cluster_status", "--formatter", "json");
                    int running = Http.JSON.readTree(status).path("running_nodes").size();
                    return running == count;
                });
    }

    /** Stops every node this harness started; deletes nothing (the folders under target/ stay for reading). */
    @Override
    public void close() {
        stopAll();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException | IllegalArgumentException shuttingDownOrNeverAdded) {
            // the hook runs now or was never registered
        }
    }

    private void stopAll() {
        try {
            eachAtOnce(nodes, n -> {
                try {
                    stopNode(n);
                } finally {
                    if (n.running()) {
                        killNode(n);
                    }
                }
            });
        } catch (RuntimeException e) {
            System.err.println("stopping the cluster's nodes: " + e);
        }
    }

    /**
     * An action on every node at the same time, each in a thread of its own (not the common pool: it has one
     * thread on two cores, and a restarting node waits at boot for its peers to start too).
     */
    private static void eachAtOnce(List<Node> nodes, Consumer<Node> action) {
        if (nodes.isEmpty()) {
            return;
        }
        ExecutorService threads = Executors.newFixedThreadPool(nodes.size());
        try {
            List<Future<?>> done = nodes.stream().map(n -> threads.submit(() -> action.accept(n))).collect(Collectors.toList());
            RuntimeException failure = null;
            for (Future<?> f : done) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    failure = failure == null ? new IllegalStateException(e.getCause()) : failure;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
            if (failure != null) {
                throw failure;
            }
        } finally {
            threads.shutdownNow();
        }
    }

    private static void log(String what, long since) {
        System.out.printf("rabbit cluster: %s after %d ms%n", what, (System.nanoTime() - since) / 1_000_000);
    }

    private Commands.Result cli(Node node, String... args) {
        List<String> command = new ArrayList<>(List.of(SBIN.resolve("rabbitmqctl").toString(), "-n", node.name));
        command.addAll(List.of(args));
        return Commands.run(command, base, CLI, cliEnvironment());
    }

    /**
     * Until the node has booted: registered with epmd, then {@code rabbitmqctl await_startup} (a port that merely
     * accepts connections could be someone else's), then its AMQP port open.
     */
    private void awaitAmqp(Node node) {
        String shortName = node.name.substring(0, node.name.indexOf('@'));
        await(node.name + " registered with epmd").atMost(NODE_START).pollInterval(Duration.ofMillis(200)).until(() -> {
            requireRunning(node);
            Commands.Result names = Commands.run(List.of("epmd", "-names"), base, Duration.ofSeconds(10), Map.of());
            return names.output().lines().anyMatch(l -> l.startsWith("name " + shortName + " at port"));
        });
        await(node.name + " booted").atMost(NODE_START).pollInterval(Duration.ofMillis(500)).until(() -> {
            requireRunning(node);
            return cli(node, "-q", "await_startup", "--timeout", Long.toString(NODE_START.toSeconds())).ok();
        });
        await(node.name + " takes AMQP connections on " + node.amqpPort).atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    requireRunning(node);
                    try (Socket s = new Socket()) {
                        s.connect(new InetSocketAddress("127.0.0.1", node.amqpPort), 500);
                        return true;
                    } catch (IOException notYet) {
                        return false;
                    }
                });
    }

    private static void requireRunning(Node node) {
        if (!node.running()) {
            throw new IllegalStateException(node.name + " exited; see " + node.log() + " and " + node.dir.resolve("stdout.log"));
        }
    }

    private void awaitExit(Node node, Duration atMost) {
        await(node.name + " exited").atMost(atMost).pollInterval(Duration.ofMillis(100)).until(() ->
                !node.running() && node.vmPid().flatMap(ProcessHandle::of).map(p -> !p.isAlive()).orElse(true));
    }

    /** The environment of a node: everything the system broker's /etc/rabbitmq files would set, set here instead. */
    private Map<String, String> serverEnvironment(Node node) {
        Map<String, String> env = cliEnvironment();
        env.put("RABBITMQ_NODENAME", node.name);
        env.put("RABBITMQ_NODE_IP_ADDRESS", "127.0.0.1");
        env.put("RABBITMQ_NODE_PORT", Integer.toString(node.amqpPort));
        env.put("RABBITMQ_DIST_PORT", Integer.toString(node.distPort));
        env.put("RABBITMQ_MNESIA_BASE", node.dir.resolve("mnesia").toString());
        env.put("RABBITMQ_LOG_BASE", node.dir.resolve("log").toString());
        env.put("RABBITMQ_PID_FILE", node.pidFile().toString());
        // one scheduler, no busy-waiting: three nodes, four services and PostgreSQL share two cores
        env.put("RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS",
                "-kernel inet_dist_use_interface {127,0,0,1} +S 1:1 +sbwt none +sbwtdcpu none +sbwtdio none");
        return env;
    }

    private Map<String, String> cliEnvironment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("HOME", home.toString());
        env.put("RABBITMQ_CONF_ENV_FILE", base.resolve("rabbitmq-env.conf").toString());
        env.put("RABBITMQ_CONFIG_FILE", base.resolve("rabbitmq.conf").toString());
        env.put("RABBITMQ_ENABLED_PLUGINS_FILE", base.resolve("enabled_plugins").toString());
        env.put("RABBITMQ_CTL_DIST_PORT_MIN", Integer.toString(ctlPortMin));
        env.put("RABBITMQ_CTL_DIST_PORT_MAX", Integer.toString(ctlPortMin + 9));
        env.put("ERL_EPMD_ADDRESS", "127.0.0.1");
        return env;
    }

    private void prepareFiles() {
        try {
            deleteTree(base.resolve("nodes"));
            Files.createDirectories(home);
            Path cookie = home.resolve(".erlang.cookie");
            if (!Files.exists(cookie)) {
                byte[] random = new byte[16];
                new SecureRandom().nextBytes(random);
                Files.writeString(cookie, HexFormat.of().withUpperCase().formatHex(random), StandardCharsets.US_ASCII);
                Files.setPosixFilePermissions(cookie, PosixFilePermissions.fromString("r--------"));
            }
            Files.writeString(base.resolve("rabbitmq-env.conf"), "# empty: the system broker's /etc/rabbitmq/rabbitmq-env.conf is not read\n");
            Files.writeString(base.resolve("enabled_plugins"), "[].\n");
            // the AMQP listener comes from RABBITMQ_NODE_IP_ADDRESS/PORT, per node
            Files.writeString(base.resolve("rabbitmq.conf"), """
                    log.file.level = info
                    log.console = false
                    # generous but bounded: several brokers share this machine
                    vm_memory_high_watermark.absolute = 1GB
                    """);
            for (Node n : nodes) {
                Files.createDirectories(n.dir.resolve("log"));
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A node of an earlier run that died before its close (its VM still runs, its pid file says which). */
    private void stopLeftovers() {
        if (!Files.isDirectory(base.resolve("nodes"))) {
            return;
        }
        try (Stream<Path> pidFiles = Files.find(base.resolve("nodes"), 2, (p, a) -> p.getFileName().toString().equals("node.pid"))) {
            pidFiles.forEach(pidFile -> {
                try {
                    long pid = Long.parseLong(Files.readString(pidFile).trim());
                    ProcessHandle.of(pid).filter(p -> p.info().commandLine().orElse("").contains(base.toString()))
                            .ifPresent(p -> {
                                System.err.println("stopping a cluster node left by an earlier run: pid " + pid);
                                p.destroyForcibly();
                                p.onExit().join();
                            });
                } catch (IOException | NumberFormatException ignored) {
                    // no usable pid: nothing to stop
                }
            });
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
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
