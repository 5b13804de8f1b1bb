package shop.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * One run's figures against the targets: printed, and written to {@code docs/performance.md} (the
 * "Latest run" section replaced, a row added to "History").
 */
final class PerformanceReport {

    static final double MIN_RATIO = 0.5;
    /** Issue #17: open loop at half the throughput. */
    static final double MAX_P99_MS = 50;
    static final double MAX_P999_MS = 100;
    static final double MAX_RSS_MIB = 512;
    static final double MAX_STARTUP_S = 10;
    static final int CORES = Runtime.getRuntime().availableProcessors();

    private static final String LATEST_START = "<!-- bench:latest:start -->";
    private static final String LATEST_END = "<!-- bench:latest:end -->";
    private static final String HISTORY_END = "<!-- bench:history:end -->";
    /** The latest run drawn (BenchChart), beside the report. */
    static final String CHART = "performance.svg";

    record Row(String measure, String value, String target, boolean met) {
    }

    private final BenchSettings settings;
    private final String machine;
    private final String when = ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'"));
    private final Floor.Result floor;
    private final MessagingFloor.Result messaging;
    private final LoadGenerator.Result throughput;
    private final LoadGenerator.Result latency;
    private final long warmUpErrors;
    private final Map<String, Double> rssMib;
    private final Map<String, Double> cpuPerOrderMs;
    private final WorkAccount.PerOrder work;
    private final Map<String, Duration> startup;
    private final List<String> violations;
    private final Map<String, Long> figures;
    private final List<Row> rows = new ArrayList<>();

    PerformanceReport(BenchSettings settings, String machine, Floor.Result floor, MessagingFloor.Result messaging, long warmUpErrors, LoadGenerator.Result throughput,
                      LoadGenerator.Result latency, Map<String, Double> rssMib, Map<String, Double> cpuPerOrderMs,
                      WorkAccount.PerOrder work, Map<String, Duration> startup,
                      List<String> violations, Map<String, Long> figures) {
        this.settings = settings;
        this.machine = machine;
        this.floor = floor;
        this.messaging = messaging;
        this.warmUpErrors = warmUpErrors;
        this.throughput = throughput;
        this.latency = latency;
        this.rssMib = rssMib;
        this.cpuPerOrderMs = cpuPerOrderMs;
        this.work = work;
        this.startup = startup;
        this.violations = violations;
        this.figures = figures;
        evaluate();
    }

    private void evaluate() {
        double ratio = ratio();
        rows.add(new Row("floor: pgbench, one order's SQL, " + settings.floorClients() + " clients",
                f("%.0f orders/s", floor.ordersPerSecond()), "", floor.failed() == 0));
        rows.add(new Row("confirmed orders/s, " + throughput.connections() + " connections, " + settings.products() + " products",
                f("%.0f orders/s", throughput.ordersPerSecond()), f(">= %.0f (%.1f x floor)", MIN_RATIO * floor.ordersPerSecond(), MIN_RATIO),
                ratio >= MIN_RATIO));
        rows.add(new Row("ratio to the floor", f("%.2f", ratio), f(">= %.1f", MIN_RATIO), ratio >= MIN_RATIO));
        rows.add(new Row("POST /orders at " + throughput.connections() + " connections: p50 / p90 / p99 / p99.9",
                percentiles(throughput), "", true));
        rows.add(new Row("POST /orders " + latency.load() + " (" + f("%.1f", ArrivalSchedule.SHARE_OF_THROUGHPUT)
                + " x throughput): p50 / p90 / p99 / p99.9 / max", f("%.1f / %.1f / %.1f / %.1f / %.1f ms", latency.percentileMs(50),
                latency.percentileMs(90), latency.percentileMs(99), latency.percentileMs(99.9), latency.maxMs()), "", true));
        rows.add(new Row("open loop p99", f("%.1f ms", latency.percentileMs(99)), f("p99 <= %.0f ms", MAX_P99_MS),
                latency.percentileMs(99) <= MAX_P99_MS));
        rows.add(new Row("open loop p99.9", f("%.1f ms", latency.percentileMs(99.9)), f("p99.9 <= %.0f ms", MAX_P999_MS),
                latency.percentileMs(99.9) <= MAX_P999_MS));
        rows.add(new Row("open loop orders/s: asked / sent / confirmed", openLoopLine(latency), "", true));
        long errors = warmUpErrors + throughput.errors() + latency.errors();
        rows.add(new Row("errors (warm-up, throughput, latency)", f("%d", errors) + causes(), "0", errors == 0));
        rows.add(new Row("invariants after the run", violations.isEmpty() ? "hold: " + figuresLine() : String.join("; ", violations),
                "no PENDING, no oversell, 1 payment + 1 shipment per order", violations.isEmpty()));
        rows.add(new Row("CPU per confirmed order at " + throughput.connections() + " connections (ms)",
                mapLine(cpuPerOrderMs, "%.1f"), "", true));
        rows.add(new Row("database transactions per confirmed order at " + throughput.connections() + " connections (pg_stat_database)",
                perService(WorkAccount.TRANSACTIONS), "", true));
        rows.add(new Row("SQL statements per confirmed order (pg_stat_statements)", work.statementsCounted()
                ? perService(WorkAccount.STATEMENTS) : "not measured: pg_stat_statements is not in shared_preload_libraries", "", true));
        rows.add(new Row("rows fetched / inserted+updated+deleted per confirmed order (pg_stat_database)",
                perService(WorkAccount.ROWS_FETCHED, WorkAccount.ROWS_WRITTEN), "", true));
        rows.add(new Row("messages published / consumed per confirmed order (each service's RabbitMQ client)",
                perService(WorkAccount.PUBLISHED, WorkAccount.CONSUMED), "", true));
        rows.add(new Row("messaging floor: RabbitMQ alone, one order's messages, " + messaging.clients() + " clients",
                f("%.0f orders/s, RabbitMQ %.1f ms CPU per order", messaging.ordersPerSecond(), messaging.brokerCpuMsPerOrder()), "", true));
        rows.add(new Row("CPU per order the ratio target allows, on " + CORES + " cores (ms)", budgetLine(), "", true));
        rows.add(new Row("peak RSS under load (MiB)", mapLine(rssMib, "%.0f"), f("<= %.0f each", MAX_RSS_MIB),
                rssMib.values().stream().allMatch(v -> v <= MAX_RSS_MIB)));
        Map<String, Double> seconds = startup.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey,
                e -> e.getValue().toMillis() / 1000.0, (a, b) -> a, LinkedHashMap::new));
        rows.add(new Row("startup, launch to /ready (s)", mapLine(seconds, "%.1f"), f("<= %.0f each", MAX_STARTUP_S),
                seconds.values().stream().allMatch(v -> v <= MAX_STARTUP_S)));
    }

    /**
     * At 0.5 x the floor the machine's cores allow this much CPU per order. PostgreSQL takes what it took in this
     * run (the SQL is the floor's); RabbitMQ at least its floor; what is left is for the four services and the
     * load generator, set beside what they used.
     */
    private String budgetLine() {
        double budget = CORES * 1000.0 / (MIN_RATIO * floor.ordersPerSecond());
        double postgres = cpuPerOrderMs.getOrDefault("postgresql", 0.0);
        double broker = messaging.brokerCpuMsPerOrder();
        double used = cpuPerOrderMs.getOrDefault("total", 0.0) - postgres - cpuPerOrderMs.getOrDefault("rabbitmq", 0.0);
        return f("%.1f = PostgreSQL %.1f (this run) + RabbitMQ %.1f (its floor) + %.1f left for the services and the load"
                + " generator, which used %.1f", budget, postgres, broker, budget - postgres - broker, used);
    }

    private static String openLoopLine(LoadGenerator.Result open) {
        if (open.openLoop() == null) {
            return f("closed loop, %.0f orders/s", open.ordersPerSecond());
        }
        double seconds = open.elapsed().toNanos() / 1e9;
        return f("%.1f / %.1f / %.1f, the sender at most %.1f ms behind its schedule", open.openLoop().askedPerSecond(),
                open.openLoop().sent() / seconds, open.ordersPerSecond(), open.openLoop().maxSenderLagMs());
    }

    /**
     * One counter (or a pair, "a / b") of the work per order for each service and their total:
     * "order 12.0, inventory 2.0, total 14.0".
     */
    String perService(String... counters) {
        List<String> parts = new ArrayList<>();
        double[] total = new double[counters.length];
        work.byService().forEach((service, values) -> {
            List<String> one = new ArrayList<>();
            for (int i = 0; i < counters.length; i++) {
                double value = values.getOrDefault(counters[i], 0.0);
                total[i] += value;
                one.add(f("%.1f", value));
            }
            parts.add(service + " " + String.join(" / ", one));
        });
        List<String> sum = new ArrayList<>();
        for (double t : total) {
            sum.add(f("%.1f", t));
        }
        parts.add("total " + String.join(" / ", sum));
        return String.join(", ", parts);
    }

    double ratio() {
        return throughput.ordersPerSecond() / floor.ordersPerSecond();
    }

    List<String> missedTargets() {
        return rows.stream().filter(r -> !r.met()).map(r -> r.measure() + ": " + r.value()).toList();
    }

    void print() {
        System.out.println();
        System.out.println("Benchmark " + when + (settings.label().isEmpty() ? "" : " (" + settings.label() + ")"));
        System.out.println(machine);
        System.out.println("JVM: " + settings.runtime() + ", options: " + String.join(" ", settings.jvmOptions()));
        for (Row row : rows) {
            System.out.printf("  %s %-72s %-40s %s%n", row.met() ? "ok  " : "MISS", row.measure(), row.value(), row.target());
        }
    }

    void write(Path file) throws IOException {
        write(file, List.of(throughput, latency));
    }

    /** The report into {@code file}, and the chart of {@code phases} beside it (performance.svg), linked from it. */
    void write(Path file, List<LoadGenerator.Result> phases) throws IOException {
        Path chart = file.resolveSibling(CHART);
        Files.writeString(chart, BenchChart.of("Benchmark " + when + (settings.label().isEmpty() ? "" : " - " + settings.label()), phases));
        String text = Files.exists(file) ? Files.readString(file) : skeleton();
        if (!text.contains(LATEST_START) || !text.contains(HISTORY_END)) {
            text = text + "\n" + skeleton();
        }
        StringBuilder latest = new StringBuilder(LATEST_START).append('\n')
                .append("### ").append(when).append(settings.label().isEmpty() ? "" : " - " + settings.label()).append("\n\n")
                .append("Machine: ").append(machine).append(".  \n")
                .append("Services: the four jars started by the benchmark (JVM ").append(settings.runtime()).append(") with `")
                .append(String.join(" ", settings.jvmOptions()))
                .append("`, default settings, simulated payment provider and carrier.  \n")
                .append("Floor: `").append(floor.command()).append("`.  \n")
                .append("Load: ").append(settings.warmUp().toSeconds()).append(" s warm-up and ")
                .append(settings.throughputDuration().toSeconds()).append(" s closed loop at ").append(throughput.connections())
                .append(" connections, then ").append(settings.latencyDuration().toSeconds()).append(" s ").append(latency.load())
                .append(" (latency from each request's intended send time); one unit of a random product per order.\n\n")
                .append("![Confirmed orders and latency percentiles per second over the run, and the latency distribution of each phase](")
                .append(CHART).append(")\n\n")
                .append("| measure | value | target | met |\n|---|---|---|---|\n");
        for (Row row : rows) {
            latest.append("| ").append(row.measure()).append(" | ").append(row.value().replace("|", "/")).append(" | ")
                    .append(row.target()).append(" | ").append(row.met() ? "yes" : "**no**").append(" |\n");
        }
        latest.append(LATEST_END);
        int start = text.indexOf(LATEST_START);
        int end = text.indexOf(LATEST_END) + LATEST_END.length();
        text = text.substring(0, start) + latest + text.substring(end);
        String history = f("| %s | %s | %s | %.0f | %.0f | %.2f | %.1f | %s | %d | %.0f | %.1f | %s |%n",
                when, Machine.commit(settings.root()), settings.label().isEmpty() ? "-" : settings.label(),
                floor.ordersPerSecond(), throughput.ordersPerSecond(), ratio(), throughput.percentileMs(99), percentiles(latency),
                warmUpErrors + throughput.errors() + latency.errors(),
                rssMib.values().stream().mapToDouble(Double::doubleValue).max().orElse(0),
                startup.values().stream().mapToLong(Duration::toMillis).max().orElse(0) / 1000.0,
                missedTargets().isEmpty() ? "all met" : missedTargets().size() + " missed");
        int historyEnd = text.indexOf(HISTORY_END);
        text = text.substring(0, historyEnd) + history + text.substring(historyEnd);
        Files.writeString(file, text);
        System.out.println("written to " + settings.root().relativize(file));
    }

    private static String skeleton() {
        return "## Latest run\n\n" + LATEST_START + "\n" + LATEST_END + "\n\n## History\n\n"
                + "| date | commit | label | floor orders/s | orders/s @32 | ratio | p99 @32 ms | latency p50 / p90 / p99 / p99.9 ms | errors | max RSS MiB | max startup s | targets |\n"
                + "|---|---|---|---|---|---|---|---|---|---|---|---|\n" + HISTORY_END + "\n";
    }

    private String causes() {
        Map<String, Long> all = new TreeMap<>(throughput.errorsByCause());
        latency.errorsByCause().forEach((k, v) -> all.merge(k, v, Long::sum));
        return all.isEmpty() ? "" : " " + all;
    }

    private String figuresLine() {
        return figures.entrySet().stream().filter(e -> e.getKey().startsWith("orders CONFIRMED") || e.getKey().equals("orders shipped")
                || e.getKey().equals("payments COMPLETED") || e.getKey().equals("units sold"))
                .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
    }

    private static String percentiles(LoadGenerator.Result r) {
        return f("%.1f / %.1f / %.1f / %.1f ms", r.percentileMs(50), r.percentileMs(90), r.percentileMs(99), r.percentileMs(99.9));
    }

    private static String mapLine(Map<String, Double> values, String format) {
        return values.entrySet().stream().map(e -> e.getKey().replace("-service", "") + " " + f(format, e.getValue()))
                .collect(Collectors.joining(", "));
    }

    private static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
