package shop.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import shop.systemtests.Databases;
import shop.systemtests.Http;
import shop.systemtests.ServiceProcess;

/**
 * Where the work goes, besides the CPU (issue #17, "Report"): per service, what its database did and what its
 * RabbitMQ client carried during a phase, divided by the orders confirmed in it - counted where each is
 * counted anyway, so no profiler and no change to the services is needed.
 *
 * <ul>
 *   <li>{@value #TRANSACTIONS}, {@value #ROWS_FETCHED}, {@value #ROWS_WRITTEN}: PostgreSQL's {@code pg_stat_database}
 *   of the service's {@code <db>_bench} ({@code xact_commit + xact_rollback}, {@code tup_fetched},
 *   {@code tup_inserted + tup_updated + tup_deleted}). An autocommit statement is a transaction of its own.
 *   PostgreSQL publishes a backend's counts when it goes idle, at most once a second, so the edges of a phase
 *   are blurred by about a second's worth.</li>
 *   <li>{@value #STATEMENTS}: {@code pg_stat_statements} ({@code sum(calls)} per database), only when PostgreSQL
 *   preloads it ({@code shared_preload_libraries}, which takes a restart); otherwise not measured.</li>
 *   <li>{@value #PUBLISHED}, {@value #CONSUMED}: the service's own RabbitMQ client metrics, which Spring Boot
 *   registers for its connection factory ({@code rabbitmq_published_total}, {@code rabbitmq_consumed_total} on
 *   {@code /actuator/prometheus}): every basic.publish, and every delivery to a consumer, replies included.
 *   The broker's own counts need the management plugin, which is not enabled here; its global counters
 *   ({@code rabbit_global_counters}) mix every vhost of a shared broker.</li>
 * </ul>
 */
final class WorkAccount {

    static final String TRANSACTIONS = "transactions";
    static final String STATEMENTS = "statements";
    static final String ROWS_FETCHED = "rows fetched";
    static final String ROWS_WRITTEN = "rows written";
    static final String PUBLISHED = "published";
    static final String CONSUMED = "consumed";

    private final List<ServiceProcess> services;
    private final boolean statements;
    private final Map<String, Map<String, Long>> start;

    WorkAccount(List<ServiceProcess> services) {
        this.services = services;
        this.statements = statementsCounted();
        this.start = snapshot();
    }

    /** What the report shows: per service ("order", ...), each counter's growth per order; whether statements are in it. */
    record PerOrder(Map<String, Map<String, Double>> byService, boolean statementsCounted) {
    }

    /** Per service, each counter's growth since construction per order. */
    PerOrder perOrder(long orders) {
        return new PerOrder(perOrder(start, snapshot(), orders), statements);
    }

    /** pg_stat_statements, if PostgreSQL preloads it: its view created in {@code postgres} (it sees every database). */
    private static boolean statementsCounted() {
        String preload = String.valueOf(Databases.query("postgres", "SHOW shared_preload_libraries").get(0).values().iterator().next());
        if (!preload.contains("pg_stat_statements")) {
            return false;
        }
        Databases.execute("postgres", "CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
        return true;
    }

    /**
     * The growth of each counter from {@code before} to {@code after}, divided by {@code orders} (1 when none
     * were confirmed, so a broken run still shows the work). A counter missing from {@code after} is not shown;
     * one missing from {@code before} counts from 0.
     */
    static Map<String, Map<String, Double>> perOrder(Map<String, Map<String, Long>> before, Map<String, Map<String, Long>> after, long orders) {
        Map<String, Map<String, Double>> perOrder = new LinkedHashMap<>();
        after.forEach((process, counters) -> {
            Map<String, Long> was = before.getOrDefault(process, Map.of());
            Map<String, Double> per = new LinkedHashMap<>();
            counters.forEach((name, value) -> per.put(name, (value - was.getOrDefault(name, 0L)) / (double) Math.max(orders, 1)));
            perOrder.put(process, per);
        });
        return perOrder;
    }

    /** The sum of every sample of {@code metric} (all label sets) in a Prometheus text exposition; 0 if absent. */
    static long sumOf(String exposition, String metric) {
        double sum = 0;
        for (String line : exposition.split("\n")) {
            if (line.startsWith(metric + "{") || line.startsWith(metric + " ")) {
                String value = line.startsWith(metric + "{") ? line.substring(line.lastIndexOf('}') + 1) : line.substring(metric.length());
                String[] parts = value.trim().split("\\s+");
                sum += Double.parseDouble(parts[0]);
            }
        }
        return Math.round(sum);
    }

    private Map<String, Map<String, Long>> snapshot() {
        Map<String, Map<String, Long>> counters = new LinkedHashMap<>();
        for (ServiceProcess service : services) {
            String db = BenchSystem.DATABASES.get(service.name());
            Map<String, Object> row = Databases.query("postgres", """
                    SELECT xact_commit + xact_rollback AS transactions, tup_fetched AS fetched,
                           tup_inserted + tup_updated + tup_deleted AS written
                    FROM pg_stat_database WHERE datname = ?""", db).get(0);
            Map<String, Long> one = new LinkedHashMap<>();
            one.put(TRANSACTIONS, ((Number) row.get("transactions")).longValue());
            if (statements) {
                one.put(STATEMENTS, Databases.count("postgres", """
                        SELECT coalesce(sum(s.calls), 0) FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid
                        WHERE d.datname = ?""", db));
            }
            one.put(ROWS_FETCHED, ((Number) row.get("fetched")).longValue());
            one.put(ROWS_WRITTEN, ((Number) row.get("written")).longValue());
            var metrics = Http.get(service.url() + "/actuator/prometheus", BenchSystem.OPERATOR);
            if (metrics.statusCode() != 200) {
                throw new IllegalStateException(service.name() + " /actuator/prometheus answered " + metrics.statusCode());
            }
            one.put(PUBLISHED, sumOf(metrics.body(), "rabbitmq_published_total"));
            one.put(CONSUMED, sumOf(metrics.body(), "rabbitmq_consumed_total"));
            counters.put(service.name().replace("-service", ""), one);
        }
        return counters;
    }
}
