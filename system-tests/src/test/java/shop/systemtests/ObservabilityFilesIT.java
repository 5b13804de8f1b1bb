package shop.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static shop.systemtests.DeploymentFiles.PORTS;
import static shop.systemtests.DeploymentFiles.SERVICES;
import static shop.systemtests.DeploymentFiles.compose;
import static shop.systemtests.DeploymentFiles.json;
import static shop.systemtests.DeploymentFiles.list;
import static shop.systemtests.DeploymentFiles.map;
import static shop.systemtests.DeploymentFiles.read;
import static shop.systemtests.DeploymentFiles.root;
import static shop.systemtests.DeploymentFiles.service;
import static shop.systemtests.DeploymentFiles.services;
import static shop.systemtests.DeploymentFiles.str;
import static shop.systemtests.DeploymentFiles.strings;
import static shop.systemtests.DeploymentFiles.yaml;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/**
 * Static checks of {@code config/prometheus/prometheus.yml} and {@code config/grafana/} (docs/deployment.md, "The checks
 * of the deployment files"): a scrape job per service with credentials from files, the Grafana datasource and
 * dashboard mounts, and every dashboard query naming only metrics the services export, as listed in
 * {@code metrics-used.txt}. Nothing is started (PrometheusIT runs a real Prometheus).
 */
class ObservabilityFilesIT {

    /** Metric names the dashboards may query (CONTRACT.md "Metrics", issue 5) and families of them. */
    static final Set<String> ALLOWED_METRICS = Set.of(
            "shop_orders_total", "shop_saga_duration_seconds_bucket", "resilience4j_circuitbreaker_state",
            "shop_dlq_messages", "shop_outbox_backlog", "shop_inbox_duplicates_total",
            "camel_exchanges_total", "camel_exchanges_failed_total", "jvm_memory_used_bytes");
    static final List<String> ALLOWED_METRIC_PREFIXES = List.of("camel_", "jvm_", "process_", "http_server_requests_");

    final Map<String, Object> prometheus = map(yaml(root().resolve("config/prometheus/prometheus.yml")));

    @Test
    void prometheusScrapesEveryServiceWithBasicAuthFromFiles() {
        Map<String, Map<String, Object>> jobs = new LinkedHashMap<>();
        list(prometheus.get("scrape_configs")).forEach(j -> jobs.put(str(map(j).get("job_name")), map(j)));
        Set<String> secretFiles = strings(service("prometheus").get("secrets")).stream().map(s -> "/run/secrets/" + s)
                .collect(Collectors.toSet());
        for (String service : SERVICES) {
            Map<String, Object> job = jobs.get(service);
            assertThat(job).as("scrape job " + service).isNotNull();
            assertThat(str(job.get("metrics_path"))).isEqualTo("/actuator/prometheus");
            List<String> targets = new ArrayList<>();
            list(job.get("static_configs")).forEach(c -> targets.addAll(strings(map(c).get("targets"))));
            assertThat(targets).containsExactly(service + ":" + PORTS.get(service));
            Map<String, Object> auth = map(job.get("basic_auth"));
            assertThat(auth).as(service + " basic_auth without literal password").doesNotContainKey("password")
                    .containsKeys("username_file", "password_file");
            assertThat(secretFiles).as("prometheus gets the files compose makes").contains(
                    str(auth.get("username_file")), str(auth.get("password_file")));
        }
        Map<String, Object> secrets = map(compose().get("secrets"));
        Set<String> sources = secrets.values().stream().map(s -> str(map(s).get("environment"))).collect(Collectors.toSet());
        assertThat(sources).as("scrape credentials: a read-only viewer or the operator").isSubsetOf(
                "VIEWER_USERNAME", "VIEWER_PASSWORD", "OPERATOR_USERNAME", "OPERATOR_PASSWORD");
        List<String> rabbitTargets = new ArrayList<>();
        jobs.values().forEach(j -> list(j.get("static_configs")).forEach(c -> rabbitTargets.addAll(strings(map(c).get("targets")))));
        assertThat(rabbitTargets).as("RabbitMQ's prometheus plugin").contains("rabbitmq:15692");
        // the folder, so that the rule files prometheus.yml names (relative to itself) are there too
        assertThat(strings(service("prometheus").get("volumes"))).contains("../config/prometheus:/etc/prometheus:ro");
        assertThat(strings(prometheus.get("rule_files"))).containsExactly("rules/*.yml");
    }

    @Test
    void grafanaProvisionsThePrometheusDatasourceAndTheDashboards() {
        Map<String, Object> datasources = map(yaml(root().resolve("config/grafana/provisioning/datasources/prometheus.yml")));
        Map<String, Object> promDs = list(datasources.get("datasources")).stream().map(DeploymentFiles::map)
                .filter(d -> "prometheus".equals(d.get("type"))).findFirst().orElseThrow();
        assertThat(str(promDs.get("url"))).isEqualTo("http://prometheus:9090");
        assertThat(services()).containsKey("prometheus");

        Map<String, Object> providers = map(yaml(root().resolve("config/grafana/provisioning/dashboards/dashboards.yml")));
        String path = str(map(map(list(providers.get("providers")).get(0)).get("options")).get("path"));
        List<String> mounts = strings(service("grafana").get("volumes"));
        assertThat(mounts).contains("../config/grafana/dashboards:" + path + ":ro",
                "../config/grafana/provisioning/datasources:/etc/grafana/provisioning/datasources:ro",
                "../config/grafana/provisioning/dashboards:/etc/grafana/provisioning/dashboards:ro");

        Set<String> uids = list(datasources.get("datasources")).stream().map(d -> str(map(d).get("uid"))).collect(Collectors.toSet());
        for (Path dashboard : dashboards()) {
            List<String> used = new ArrayList<>();
            json(dashboard).findValues("datasource").forEach(ds -> {
                if (ds.has("uid")) {
                    used.add(ds.path("uid").asText());
                }
            });
            assertThat(used).as(dashboard + " datasource uids").isNotEmpty().allMatch(uids::contains);
        }
    }

    @Test
    void dashboardsQueryOnlyMetricsThatExistAndTheListIsUpToDate() {
        Set<String> used = new TreeSet<>();
        for (Path dashboard : dashboards()) {
            for (String query : dashboardQueries(json(dashboard))) {
                Set<String> names = metricNames(query);
                assertThat(names).as("metric names in " + dashboard.getFileName() + ": " + query).isNotEmpty();
                names.forEach(name -> assertThat(ALLOWED_METRICS.contains(name)
                        || ALLOWED_METRIC_PREFIXES.stream().anyMatch(name::startsWith))
                        .as(dashboard.getFileName() + " queries " + name + " (" + query + "), which no service exports").isTrue());
                used.addAll(names);
            }
        }
        // every panel the issue asks for
        assertThat(used).containsAll(ALLOWED_METRICS);
        Set<String> listed = read(root().resolve("config/grafana/dashboards/metrics-used.txt")).lines().map(String::trim)
                .filter(l -> !l.isEmpty() && !l.startsWith("#")).collect(Collectors.toCollection(TreeSet::new));
        assertThat(listed).as("config/grafana/dashboards/metrics-used.txt lists the dashboards' metric names").isEqualTo(used);
    }

    @Test
    void metricNameExtractionSeesThroughPromQl() {
        assertThat(metricNames("histogram_quantile(0.95, sum by (le) (rate(shop_saga_duration_seconds_bucket{service=~\"$service\"}[$__rate_interval])))"))
                .containsExactly("shop_saga_duration_seconds_bucket");
        assertThat(metricNames("max by (name, state) (resilience4j_circuitbreaker_state) == 1"))
                .containsExactly("resilience4j_circuitbreaker_state");
        assertThat(metricNames("label_values(jvm_memory_used_bytes, service)")).containsExactly("jvm_memory_used_bytes");
        assertThat(metricNames("sum(rate(a_total[5m])) / ignoring(x) group_left sum(b_total offset 1h) or vector(0)"))
                .containsExactlyInAnyOrder("a_total", "b_total");
    }

    // =================================================================================================
    // Grafana dashboards: queries and the metric names in them
    // =================================================================================================

    static List<Path> dashboards() {
        try (Stream<Path> files = Files.list(root().resolve("config/grafana/dashboards"))) {
            List<Path> all = files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
            assertThat(all).as("Grafana dashboards").isNotEmpty();
            return all;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every PromQL text of a dashboard: panel targets' expr and query-variable definitions. */
    static List<String> dashboardQueries(JsonNode dashboard) {
        List<String> queries = new ArrayList<>();
        dashboard.findValues("expr").forEach(e -> queries.add(e.asText()));
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            if ("query".equals(variable.path("type").asText())) {
                JsonNode q = variable.path("query");
                queries.add(q.isObject() ? q.path("query").asText() : q.asText());
            }
        }
        assertThat(queries).as("queries of the dashboard").isNotEmpty();
        return queries;
    }

    static final Set<String> PROMQL_WORDS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right",
            "bool", "offset", "and", "or", "unless", "inf", "nan", "atan2");

    /** Metric names in a PromQL expression (labels, strings, ranges, functions and keywords removed). */
    static Set<String> metricNames(String query) {
        String q = query;
        q = q.replaceAll("label_values\\(\\s*([^,)]+?)\\s*,\\s*[a-zA-Z_][a-zA-Z0-9_]*\\s*\\)", "$1");
        q = q.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'", "\"\"");
        q = q.replaceAll("\\{[^}]*}", " ");
        q = q.replaceAll("\\[[^]]*]", " ");
        q = q.replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ");
        q = q.replaceAll("\\boffset\\s+\\S+", " ");
        q = q.replaceAll("\\$\\{[^}]*}|\\$[a-zA-Z_][a-zA-Z0-9_]*", " ");
        q = q.replaceAll("\\b\\d+(\\.\\d+)?([eE][+-]?\\d+)?\\b", " ");
        Set<String> names = new TreeSet<>();
        Matcher m = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(\\s*\\()?").matcher(q);
        while (m.find()) {
            if (m.group(2) == null && !PROMQL_WORDS.contains(m.group(1).toLowerCase())) {
                names.add(m.group(1));
            }
        }
        return names;
    }
}
