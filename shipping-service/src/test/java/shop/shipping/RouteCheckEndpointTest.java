package shop.shipping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;
import org.apache.camel.model.Model;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import shop.platform.routes.RouteProblem;
import shop.platform.routes.RoutesDirectory;
import shop.platform.testing.BrokerPolicies;

/**
 * {@code POST /admin/routes/check} on the whole shipping service (real broker in a vhost of its own, real
 * database), with a ROUTES_DIR: for every broken sample (platform/src/test/resources/broken-routes) it answers
 * exactly what the live watcher logs when the same file is dropped into the folder - and what the sample's
 * {@code # expect: <line>: <text>} lines announce; the worked examples pass; checking leaves nothing behind;
 * operators only.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "shop.db.name=shipping_test_route_check", "shop.routes.poll-interval-ms=100",
        // the shipping folder's example with its webhook on (RoutesDirectoryIT checks it off, as shipped)
        "partner.shipments-url=https://hooks.example.com/shop"})
class RouteCheckEndpointTest {

    static final Path ROOT = BrokerPolicies.repositoryRoot();
    static final Path SAMPLES = ROOT.resolve("platform/src/test/resources/broken-routes");
    static final Pattern EXPECT = Pattern.compile("^# expect: (\\d+): (.+)$", Pattern.MULTILINE);
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static Path routesDir;
    static String vhost;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        vhost = BrokerPolicies.freshVhost("route-check", true);
        routesDir = Files.createTempDirectory("shop-route-check-");
        registry.add("spring.rabbitmq.virtual-host", () -> vhost);
        registry.add("shop.routes.dir", routesDir::toString);
    }

    @AfterAll
    static void deleteVhost() {
        BrokerPolicies.deleteVhost(vhost);
    }

    @Autowired CamelContext camel;
    @Autowired RoutesDirectory watcher;
    @LocalServerPort int port;

    /** One table: each broken sample, checked by the endpoint and then by the watcher, gives the same problems. */
    @Test
    void theEndpointAndTheLiveReloadAnswerTheSameForEveryBrokenFile() throws Exception {
        List<Path> samples = yamlFiles(SAMPLES);
        assertThat(samples).hasSizeGreaterThanOrEqualTo(30);
        Map<String, List<String>> fromEndpoint = new TreeMap<>();
        Map<String, List<String>> fromWatcher = new TreeMap<>();
        Map<String, List<String>> expected = new TreeMap<>();
        for (Path sample : samples) {
            String name = sample.getFileName().toString();
            String content = Files.readString(sample);
            List<String> expect = new ArrayList<>();
            Matcher m = EXPECT.matcher(content);
            while (m.find()) {
                expect.add(m.group(1) + ": " + m.group(2).trim());
            }
            expected.put(name, expect);

            JsonNode answer = check(name, content, "operator", "operator-dev-password");
            assertThat(answer.get("file").asText()).isEqualTo(name);
            assertThat(answer.get("ok").asBoolean()).as(name).isFalse();
            List<String> problems = new ArrayList<>();
            answer.get("problems").forEach(p -> problems.add(p.get("line").asInt() + ": " + p.get("message").asText()));
            fromEndpoint.put(name, problems);

            deploy(name, content);
            await("refusal of " + name).atMost(Duration.ofSeconds(20)).until(() -> watcher.refusals().containsKey(name));
            List<RouteProblem> logged = watcher.refusals().get(name);
            assertThat(logged).allSatisfy(p -> assertThat(p.file()).isEqualTo(routesDir.resolve(name).toString()));
            fromWatcher.put(name, logged.stream().map(p -> p.line() + ": " + p.message()).toList());
            Files.delete(routesDir.resolve(name));
        }
        assertThat(fromEndpoint).isEqualTo(fromWatcher);
        fromEndpoint.forEach((name, problems) -> {
            List<String> expect = expected.get(name);
            assertThat(problems).as(name + ": " + problems).hasSameSizeAs(expect);
            for (int i = 0; i < expect.size(); i++) {
                String line = expect.get(i).substring(0, expect.get(i).indexOf(':'));
                String text = expect.get(i).substring(expect.get(i).indexOf(':') + 2);
                assertThat(problems.get(i)).as(name).startsWith(line + ": ").contains(text);
            }
        });
        assertThat(watcher.routesByFile()).isEmpty();
    }

    @Test
    void theWorkedExamplesPassAndCheckingLeavesNothingBehind() throws Exception {
        List<String> routesBefore = routeIds();
        Route running = camel.getRoute("shipping-order-confirmed");
        Model model = camel.getCamelContextExtension().getContextPlugin(Model.class);
        int templates = model.getRouteTemplateDefinitions().size();
        int definitions = model.getRouteDefinitions().size();
        for (Path example : yamlFiles(ROOT.resolve("routes/integrations"))) {
            for (int twice = 0; twice < 2; twice++) {
                JsonNode answer = check(example.getFileName().toString(), Files.readString(example), "operator", "operator-dev-password");
                assertThat(answer.get("ok").asBoolean()).as(example + ": " + answer).isTrue();
                assertThat(answer.get("problems")).isEmpty();
                assertThat(answer.get("routes")).isNotEmpty();
            }
        }
        // a route id of the jar: refused at its line, the running route untouched
        String takeover = """
                - route:
                    id: shipping-order-confirmed
                    from:
                      uri: timer:takeover
                      steps:
                        - log: takeover
                """;
        JsonNode answer = check("takeover.yaml", takeover, "operator", "operator-dev-password");
        assertThat(answer.get("problems").get(0).get("line").asInt()).isEqualTo(1);
        assertThat(answer.get("problems").get(0).get("message").asText()).contains("is a route of the service itself");
        // a route id another ROUTES_DIR file holds: refused; the same file's own ids: a replacement, fine
        deploy("holder.yaml", takeover.replace("shipping-order-confirmed", "held-route"));
        await().atMost(Duration.ofSeconds(20)).until(() -> camel.getRoute("held-route") != null);
        Route held = camel.getRoute("held-route");
        assertThat(check("other.yaml", takeover.replace("shipping-order-confirmed", "held-route"), "operator", "operator-dev-password")
                .get("problems").get(0).get("message").asText()).contains("is already defined by " + routesDir.resolve("holder.yaml"));
        assertThat(check("holder.yaml", takeover.replace("shipping-order-confirmed", "held-route").replace("log: takeover", "log: v2"),
                "operator", "operator-dev-password").get("ok").asBoolean()).isTrue();

        assertThat(camel.getRoute("shipping-order-confirmed")).isSameAs(running);
        assertThat(camel.getRouteController().getRouteStatus("shipping-order-confirmed")).isEqualTo(ServiceStatus.Started);
        assertThat(camel.getRoute("held-route")).isSameAs(held);
        assertThat(camel.getRouteController().getRouteStatus("held-route")).isEqualTo(ServiceStatus.Started);
        Files.delete(routesDir.resolve("holder.yaml"));
        await().atMost(Duration.ofSeconds(20)).until(() -> camel.getRoute("held-route") == null);
        assertThat(routeIds()).isEqualTo(routesBefore);
        assertThat(model.getRouteTemplateDefinitions()).hasSize(templates);
        assertThat(model.getRouteDefinitions()).hasSize(definitions);
        assertThat(camel.getRegistry().lookupByName("partner-shipments")).isNull();
    }

    @Test
    void operatorsOnlyAndMalformedRequestsRefused() throws Exception {
        String good = Files.readString(ROOT.resolve("routes/integrations/partner-shipment-webhook.yaml"));
        assertThat(post("/admin/routes/check?name=x.yaml", good, "application/yaml", null, null).statusCode()).isEqualTo(401);
        assertThat(post("/admin/routes/check?name=x.yaml", good, "application/yaml", "viewer", "viewer-dev-password").statusCode())
                .isEqualTo(403);
        assertThat(post("/admin/routes/check", good, "application/yaml", "operator", "operator-dev-password").statusCode()).isEqualTo(400);
        assertThat(post("/admin/routes/check?name=../x.yaml", good, "application/yaml", "operator", "operator-dev-password").statusCode())
                .isEqualTo(400);
        assertThat(post("/admin/routes/check?name=x.yaml", "", "application/yaml", "operator", "operator-dev-password").statusCode())
                .isEqualTo(400);
        assertThat(post("/admin/routes/check?name=x.yaml", "a".repeat(70 * 1024), "application/yaml", "operator", "operator-dev-password")
                .statusCode()).isEqualTo(413);
        assertThat(post("/admin/routes/check?name=x.yaml", good, "application/x-www-form-urlencoded", "operator", "operator-dev-password")
                .statusCode()).isEqualTo(415);
    }

    private List<String> routeIds() {
        return camel.getRoutes().stream().map(Route::getRouteId).sorted().toList();
    }

    private JsonNode check(String name, String content, String user, String password) throws Exception {
        HttpResponse<String> r = post("/admin/routes/check?name=" + URLEncoder.encode(name, StandardCharsets.UTF_8), content,
                "application/yaml", user, password);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private HttpResponse<String> post(String path, String body, String type, String user, String password) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(60)).header("Content-Type", type).POST(HttpRequest.BodyPublishers.ofString(body));
        if (user != null) {
            request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Written elsewhere, then moved in: what an operator does (docs/integrations.md). */
    private static void deploy(String name, String content) throws IOException {
        Path tmp = routesDir.resolve("." + name + ".tmp");
        Files.writeString(tmp, content, StandardCharsets.UTF_8);
        Files.move(tmp, routesDir.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static List<Path> yamlFiles(Path folder) throws IOException {
        try (Stream<Path> s = Files.list(folder)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".yaml")).sorted().toList();
        }
    }
}
