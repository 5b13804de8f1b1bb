package shop.systemtests;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A real Prometheus (Debian's package) scrapes the four running services with the shipped
 * config/prometheus/prometheus.yml, changed only in its targets (the services' test ports; RabbitMQ's plugin
 * and Prometheus' own job dropped: neither runs here), its credentials (the viewer, inline: Debian's 2.42 has
 * no {@code username_file}) and its intervals (scrapes every 5 s, rules every second, to keep the test short),
 * and loads the shipped rule files. The targets are small proxies in this test that ask the services for
 * the plain-text format: Debian's Prometheus 2.42 rejects the whole scrape of the OpenMetrics format Spring Boot
 * 3.5 serves, because it carries exemplars on counters, which Prometheus reads only from 2.43 on (compose runs
 * 2.55.1, which scrapes the services directly; docs/deployment.md). Through its HTTP API: every Grafana dashboard query returns data, every
 * alert expression is a valid query over metrics that exist, and the dead-letter alert fires after a carrier
 * outage and resolves after the replay. Skipped, saying so, without the prometheus binary ({@code .ci/run}
 * installs it).
 */
class PrometheusIT extends SystemTest {

    static final Path ROOT = PrometheusRulesIT.ROOT;
    /** Metrics only some configurations have: the ROUTES_DIR watcher's counter exists only with ROUTES_DIR set. */
    static final Set<String> CONDITIONAL_METRICS = Set.of("shop_routes_reload_failures_total");
    /** An identifier not followed by "(" (that would be a function or aggregation). */
    static final Pattern IDENTIFIER = Pattern.compile("(?<![\\w.])([a-zA-Z_:][a-zA-Z0-9_:]*)\\b(?!\\s*\\()");
    static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset");

    static Process prometheus;
    static Path work;
    static String api;
    static final List<HttpServer> proxies = new ArrayList<>();
    static final HttpClient PROXY_CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void startPrometheus() throws Exception {
        assumeTrue(Commands.run("prometheus", "--version").ok(),
                "prometheus not found: install Debian's prometheus package (apt-get install prometheus; .ci/run does)");
        work = Files.createTempDirectory("shop-prometheus-it");
        Path config = work.resolve("prometheus.yml");
        Files.writeString(config, derivedConfig());
        int port = FreePorts.find(1);
        api = "http://127.0.0.1:" + port;
        Path log = system.logs().resolve("prometheus.log");
        prometheus = new ProcessBuilder("prometheus", "--config.file=" + config, "--storage.tsdb.path=" + work.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port, "--log.level=warn")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        await("prometheus ready (log: " + log + ")").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                .untilAsserted(() -> {
                    assertThat(prometheus.isAlive()).as("prometheus running: " + Files.readString(log)).isTrue();
                    assertThat(Http.get(api + "/-/ready", null).statusCode()).isEqualTo(200);
                });
    }

    @AfterAll
    static void stopPrometheus() throws Exception {
        proxies.forEach(p -> p.stop(0));
        if (prometheus != null) {
            prometheus.destroy();
            if (!prometheus.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                prometheus.destroyForcibly().waitFor();
            }
        }
        if (work != null) {
            try (Stream<Path> files = Files.walk(work)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** The shipped prometheus.yml with the test's targets, credentials and intervals; its rule_files kept. */
    @SuppressWarnings("unchecked")
    static String derivedConfig() throws IOException {
        Path shipped = ROOT.resolve("config/prometheus/prometheus.yml");
        Map<String, Object> config = new Yaml().load(Files.readString(shipped));
        Map<String, Object> global = (Map<String, Object>) config.get("global");
        // short, to keep the test short; a scrape of a service takes up to seconds on a loaded 2-core machine
        global.put("scrape_interval", "5s");
        global.put("scrape_timeout", "5s");
        global.put("evaluation_interval", "1s");
        List<String> rules = (List<String>) config.get("rule_files");
        assertThat(rules).as("the shipped prometheus.yml loads the rules").isNotEmpty();
        config.put("rule_files", rules.stream().map(r -> shipped.getParent().resolve(r).toString()).toList());
        Map<String, ServiceProcess> services = Map.of("order-service", system.orders, "inventory-service", system.inventory,
                "payment-service", system.payments, "shipping-service", system.shipping);
        List<Map<String, Object>> jobs = new ArrayList<>();
        for (Object o : (List<Object>) config.get("scrape_configs")) {
            Map<String, Object> job = (Map<String, Object>) o;
            ServiceProcess service = services.get((String) job.get("job_name"));
            if (service == null) {
                continue; // RabbitMQ's plugin and Prometheus itself: not part of this system under test
            }
            job.put("static_configs", List.of(Map.of("targets", List.of("127.0.0.1:" + plainTextProxy(service)))));
            job.put("basic_auth", Map.of("username", "viewer", "password", "viewer-st-password"));
            jobs.add(job);
        }
        assertThat(jobs).hasSize(4);
        config.put("scrape_configs", jobs);
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        return new Yaml(options).dump(config);
    }

    @Test
    void everyDashboardQueryAndEveryAlertExpressionAnswersAndTheDeadLetterAlertFiresAfterACarrierOutage() throws Exception {
        // traffic, so that counters move and the saga histogram has observations: confirmed and out of stock
        String sku = Shop.uniqueSku("PROM");
        shop.stock(sku, 1200, 3);
        for (int i = 0; i < 4; i++) {
            shop.place("prometheus", Shop.order("pm_card_visa", sku, 1));
        }
        await("all four services scraped").atMost(Duration.ofSeconds(120)).untilAsserted(() ->
                assertThat(query("up{job=~\".*-service\"} == 1")).hasSize(4));

        // every dashboard query returns at least one series: each panel shows something on a healthy system
        Map<String, String> dashboard = dashboardQueries();
        assertThat(dashboard).hasSizeGreaterThanOrEqualTo(10);
        await("every dashboard query returns data").atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            for (Map.Entry<String, String> q : dashboard.entrySet()) {
                assertThat(query(q.getValue())).as(q.getKey() + ": " + q.getValue()).isNotEmpty();
            }
        });

        // every alert expression is a valid instant query over metrics that exist. On a healthy system their
        // answer is an empty vector ("no data" is the healthy answer of a condition), so what is checked is that
        // every metric an expression names has series - except the ROUTES_DIR counter, absent without ROUTES_DIR
        List<Map<String, Object>> alerts = PrometheusRulesIT.alerts();
        for (Map<String, Object> alert : alerts) {
            String name = (String) alert.get("alert");
            String expr = (String) alert.get("expr");
            query(expr); // status success, result type vector
            for (String metric : metricsOf(expr)) {
                if (CONDITIONAL_METRICS.contains(metric)) {
                    assertThat(query(metric)).as(name + ": " + metric + " without ROUTES_DIR").isEmpty();
                } else {
                    assertThat(query(metric)).as(name + " needs metric " + metric).isNotEmpty();
                }
            }
        }
        assertThat(query(expr("ShopServiceDown"))).as("every service is up").isEmpty();
        assertThat(query("shop_ready == 1")).as("every service reports ready").hasSize(4);
        assertThat(query(expr("ShopServiceNotReady"))).isEmpty();
        assertThat(query(expr("ShopRouteReloadRefused"))).as("no watcher, nothing refused").isEmpty();

        // a dead letter: empty queue and no alert first, then the carrier fails until the message is dead-lettered
        purgeDeadLetters();
        await("DLQ empty in Prometheus").atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(query("shop_dlq_messages{queue=\"shipping.order-confirmed.dlq\"} == 0")).hasSize(1));
        assertThat(firing("ShopDeadLetterWaiting")).isEmpty();
        system.carrier.answer(503);
        try {
            String dlqSku = Shop.uniqueSku("PROM-DLQ");
            shop.stock(dlqSku, 700, 2);
            HttpResponse<String> placed = shop.place("prometheus-dlq", Shop.order("pm_card_visa", dlqSku, 1));
            assertThat(placed.statusCode()).as(placed.body()).isEqualTo(201);
            await("dead-lettered").atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                    assertThat(deadLetterCount()).isGreaterThanOrEqualTo(1));
            await("ShopDeadLetterWaiting firing").atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                List<JsonNode> firing = firing("ShopDeadLetterWaiting");
                assertThat(firing).hasSize(1);
                assertThat(firing.get(0).path("labels").path("queue").asText()).isEqualTo("shipping.order-confirmed.dlq");
                assertThat(firing.get(0).path("annotations").path("runbook_url").asText()).isEqualTo("docs/runbooks/dlq-replay.md");
                assertThat(query("ALERTS{alertname=\"ShopDeadLetterWaiting\",alertstate=\"firing\"}")).hasSize(1);
            });
        } finally {
            system.carrier.answer(201);
        }
        HttpResponse<String> replayed = Http.post(system.shipping.url() + "/admin/dlq/shipments/replay", SystemUnderTest.OPERATOR, "", Map.of());
        assertThat(replayed.statusCode()).as(replayed.body()).isEqualTo(200);
        await("replayed: the alert resolves").atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(firing("ShopDeadLetterWaiting")).isEmpty());
    }

    // --- helpers ---------------------------------------------------------------------------------------

    /**
     * A local port that forwards the scrape (path and Authorization as Prometheus sends them) to the service,
     * asking for Prometheus' plain-text format instead of OpenMetrics; answers what the service answers.
     */
    static int plainTextProxy(ServiceProcess service) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            int status;
            byte[] body;
            String type = "text/plain";
            try {
                HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(service.url() + exchange.getRequestURI()))
                        .timeout(Duration.ofSeconds(10)).header("Accept", "text/plain;version=0.0.4").GET();
                String authorization = exchange.getRequestHeaders().getFirst("Authorization");
                if (authorization != null) {
                    request.header("Authorization", authorization);
                }
                HttpResponse<byte[]> answer = PROXY_CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
                status = answer.statusCode();
                body = answer.body();
                type = answer.headers().firstValue("Content-Type").orElse(type);
            } catch (IOException | InterruptedException e) {
                status = 502;
                body = e.toString().getBytes(StandardCharsets.UTF_8);
            }
            exchange.getResponseHeaders().add("Content-Type", type);
            exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
            try (var out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        proxies.add(server);
        return server.getAddress().getPort();
    }

    /** An instant query: must succeed with a vector; its series. */
    static List<JsonNode> query(String promql) {
        HttpResponse<String> r = Http.get(api + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8), null);
        JsonNode body = Http.json(r);
        assertThat(body.path("status").asText()).as(promql + " -> " + r.body()).isEqualTo("success");
        assertThat(body.path("data").path("resultType").asText()).as(promql).isEqualTo("vector");
        List<JsonNode> series = new ArrayList<>();
        body.path("data").path("result").forEach(series::add);
        return series;
    }

    /** Alerts of that name in state firing, from /api/v1/alerts. */
    static List<JsonNode> firing(String alertname) {
        JsonNode body = Http.json(Http.get(api + "/api/v1/alerts", null));
        List<JsonNode> firing = new ArrayList<>();
        body.path("data").path("alerts").forEach(a -> {
            if (alertname.equals(a.path("labels").path("alertname").asText()) && "firing".equals(a.path("state").asText())) {
                firing.add(a);
            }
        });
        return firing;
    }

    static String expr(String alertname) {
        return PrometheusRulesIT.alerts().stream().filter(a -> alertname.equals(a.get("alert")))
                .map(a -> (String) a.get("expr")).findFirst().orElseThrow();
    }

    /** Metric names an expression selects: its identifiers that are no function, keyword or grouping label. */
    static Set<String> metricsOf(String expr) {
        String bare = expr.replaceAll("\\{[^}]*}", " ").replaceAll("\\[[^]]*]", " ")
                .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ");
        Set<String> names = new LinkedHashSet<>();
        Matcher m = IDENTIFIER.matcher(bare);
        while (m.find()) {
            if (!KEYWORDS.contains(m.group(1))) {
                names.add(m.group(1));
            }
        }
        assertThat(names).as("metrics of " + expr).isNotEmpty();
        return names;
    }

    /** Every 'expr' of every dashboard, with Grafana's variables as a user sees them by default (All services). */
    static Map<String, String> dashboardQueries() throws IOException {
        Map<String, String> queries = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(ROOT.resolve("config/grafana/dashboards"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                collect(Http.JSON.readTree(f.toFile()), f.getFileName().toString(), queries);
            }
        }
        return queries;
    }

    private static void collect(JsonNode node, String where, Map<String, String> queries) {
        if (node.isObject()) {
            String here = node.has("title") ? where + " / " + node.get("title").asText() : where;
            node.fields().forEachRemaining(e -> {
                if (e.getKey().equals("expr") && e.getValue().isTextual()) {
                    String expr = e.getValue().asText().replace("$__rate_interval", "1m").replace("$service", ".*");
                    queries.put(here + " #" + queries.size(), expr);
                } else {
                    collect(e.getValue(), here, queries);
                }
            });
        } else if (node.isArray()) {
            node.forEach(n -> collect(n, where, queries));
        }
    }

    int deadLetterCount() {
        HttpResponse<String> r = Http.get(system.shipping.url() + "/admin/dlq/shipments", SystemUnderTest.OPERATOR);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Http.json(r).get("count").asInt();
    }

    /** Empties the shipping DLQ in the vhost the services use (RABBITMQ_VHOST, as they read it). */
    static void purgeDeadLetters() throws Exception {
        try (Connection c = Vhosts.factory().newConnection(); Channel ch = c.createChannel()) {
            ch.queuePurge("shipping.order-confirmed.dlq");
        }
    }
}
