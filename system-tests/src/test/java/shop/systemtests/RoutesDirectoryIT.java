package shop.systemtests;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConnectionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * ROUTES_DIR on a running order service (CONTRACT.md, Route DSL; docs/integrations.md): an integration is
 * added, changed, broken and removed by editing route files, without a restart. A second order-service
 * instance runs with ROUTES_DIR set (it shares the system's database and broker); orders are placed through
 * the regular one, so the integration sees order.confirmed as any subscriber would.
 */
class RoutesDirectoryIT extends SystemTest {

    private static final String ROUTE_ID = "st-order-confirmed-to-files";
    private static final String WRITER_ID = "st-write-order-confirmed";

    private static ServiceProcess withRoutesDir;
    private static Path routesDir;
    private static Path work;
    private static String queue;

    @BeforeAll
    static void startAnOrderServiceWithRoutesDir() throws IOException {
        work = Files.createTempDirectory("routes-dir-it");
        routesDir = Files.createDirectories(work.resolve("routes"));
        queue = "st.routes-dir." + UUID.randomUUID().toString().substring(0, 8);
        Path root = Path.of(System.getProperty("shop.root", "..")).toAbsolutePath().normalize();
        Map<String, String> env = system.environment("order-service");
        env.put("ROUTES_DIR", routesDir.toString());
        env.put("SHOP_ROUTES_POLL_INTERVAL_MS", "500");
        // the order folder's example with its webhook on (the system's order service has it off, as shipped)
        env.put("NOTIFICATIONS_WEBHOOK_URL", "https://hooks.example.com/shop");
        int port = FreePorts.find(1);
        withRoutesDir = new ServiceProcess("order-service", root.resolve("order-service/target/order-service.jar"),
                root.resolve("system-tests/target/service-logs"), port, env);
        withRoutesDir.start();
        withRoutesDir.awaitReady();
    }

    @AfterAll
    static void stopIt() {
        if (withRoutesDir != null) {
            withRoutesDir.kill();
        }
        deleteQueues();
        if (work != null) {
            try (Stream<Path> all = Files.walk(work)) {
                all.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // a temporary folder left behind is harmless
            }
        }
    }

    @Test
    void anIntegrationIsAddedChangedSurvivesBrokenFilesAndIsRemovedWithoutARestart() throws Exception {
        Path first = Files.createDirectories(work.resolve("out-first"));
        Path second = Files.createDirectories(work.resolve("out-second"));
        String sku = Shop.uniqueSku("RDIR");
        shop.stock(sku, 500, 50);

        // added: the integration binds its own queue to order.confirmed and writes each event to a folder
        deploy("orders-to-files.yaml", integration(first));
        awaitRoute(ROUTE_ID, true);
        String one = placeConfirmedOrder("rd-one", sku);
        awaitEventFileFor(one, first);

        // changed: the next order goes to the new folder only
        deploy("orders-to-files.yaml", integration(second));
        await("the new version is running").atMost(Duration.ofSeconds(20))
                .until(() -> withRoutesDir.logText().contains("replaced with route(s)"));
        String two = placeConfirmedOrder("rd-two", sku);
        awaitEventFileFor(two, second);
        assertThat(filesMentioning(first, two)).as("the old version no longer writes").isZero();

        // broken files beside it: both refused and logged, the service stays ready, the integration keeps running
        deploy("broken-syntax.yaml", "- route:\n    id: st-broken-syntax\n    from:\n      uri: timer:st-broken\n     steps:\n        - log: x\n");
        deploy("broken-bean.yaml", """
                - route:
                    id: st-broken-bean
                    from:
                      uri: timer:st-broken-bean
                      steps:
                        - bean:
                            ref: noSuchBeanInThisService
                            method: handle
                """);
        await("both broken files refused").atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            String log = withRoutesDir.logText();
            assertThat(log).contains(routesDir.resolve("broken-syntax.yaml") + ": refused")
                    .contains(routesDir.resolve("broken-syntax.yaml") + ":5: YAML syntax")
                    .contains(routesDir.resolve("broken-bean.yaml") + ": refused")
                    .contains("noSuchBeanInThisService");
        });
        assertThat(Http.get(withRoutesDir.url() + "/ready", null).statusCode()).isEqualTo(200);
        // bin/validate-routes asks the service: for the same files it prints the very lines the watcher logged
        String log = withRoutesDir.logText();
        String[] checked = validateRoutes("order-service", false, withRoutesDir.url(), routesDir.resolve("broken-syntax.yaml"),
                routesDir.resolve("broken-bean.yaml"));
        assertThat(checked[0]).as(checked[1]).isEqualTo("1");
        List<String> problems = checked[1].lines().filter(l -> l.startsWith(routesDir.toString())).toList();
        assertThat(problems).hasSize(2).allSatisfy(line -> assertThat(log).contains(line));
        // a service without ROUTES_DIR answers the same (the system's order service)
        String[] elsewhere = validateRoutes("order-service", false, system.orders.url(), routesDir.resolve("broken-bean.yaml"));
        assertThat(elsewhere[0]).as(elsewhere[1]).isEqualTo("1");
        assertThat(elsewhere[1].lines().filter(l -> l.startsWith(routesDir.toString()))).containsExactly(problems.get(1));
        // --offline: the schema and the denylist pass the unknown bean, and it says the routes were not built
        String[] offline = validateRoutes("order-service", true, null, routesDir.resolve("broken-bean.yaml"));
        assertThat(offline[0]).as(offline[1]).isEqualTo("0");
        assertThat(offline[1]).contains("routes not built");
        awaitRoute("st-broken-syntax", false);
        awaitRoute("st-broken-bean", false);
        String three = placeConfirmedOrder("rd-three", sku);
        awaitEventFileFor(three, second);
        awaitRoute(ROUTE_ID, true);
        assertThat(metric("shop_routes_reload_failures_total")).isGreaterThanOrEqualTo(2.0);

        // removed: the routes are gone, the folder receives nothing more
        Files.delete(routesDir.resolve("orders-to-files.yaml"));
        Files.delete(routesDir.resolve("broken-syntax.yaml"));
        Files.delete(routesDir.resolve("broken-bean.yaml"));
        awaitRoute(ROUTE_ID, false);
        awaitRoute(WRITER_ID, false);
        assertThat(Http.get(withRoutesDir.url() + "/ready", null).statusCode()).isEqualTo(200);
    }

    /** bin/validate-routes against a running service: exit status and output. */
    private static String[] validateRoutes(String service, boolean offline, String url, Path... files) throws Exception {
        Path root = Path.of(System.getProperty("shop.root", "..")).toAbsolutePath().normalize();
        List<String> command = new java.util.ArrayList<>(List.of(root.resolve("bin/validate-routes").toString(), service));
        if (offline) {
            command.add("--offline");
        }
        Stream.of(files).map(Path::toString).forEach(command::add);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(Map.of("VALIDATE_ROUTES_URL", String.valueOf(url), "OPERATOR_USERNAME", "operator",
                "OPERATOR_PASSWORD", "operator-st-password", "SERVICE_JAR", root.resolve(service + "/target/" + service + ".jar").toString()));
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        return new String[] {Integer.toString(process.exitValue()), output};
    }

    /** The route folders the deployments mount (compose/routes) pass the running services' check, webhooks off and on. */
    @Test
    void theShippedRouteFoldersPassTheRunningServicesCheck() throws Exception {
        Path folders = Path.of(System.getProperty("shop.root", "..")).toAbsolutePath().normalize().resolve("compose/routes");
        for (String[] target : new String[][] {{system.orders.url(), "order-service"}, {withRoutesDir.url(), "order-service"},
                {system.inventory.url(), "inventory-service"}, {system.payments.url(), "payment-service"},
                {system.shipping.url(), "shipping-service"}}) {
            Path folder = folders.resolve(target[1]);
            boolean empty;
            try (Stream<Path> files = Files.list(folder)) {
                empty = files.noneMatch(f -> f.getFileName().toString().endsWith(".yaml"));
            }
            if (empty) {
                continue;
            }
            String[] checked = validateRoutes(target[1], false, target[0], folder);
            assertThat(checked[0]).as(target[1] + " at " + target[0] + ": " + checked[1]).isEqualTo("0");
        }
    }

    private String placeConfirmedOrder(String user, String sku) {
        HttpResponse<String> placed = shop.place(user, Shop.order("pm_card_visa", sku, 1));
        assertThat(placed.statusCode()).as(placed.body()).isEqualTo(201);
        return Http.json(placed).get("orderId").asText();
    }

    /** The event file of one order: other orders (other tests on the same broker) may land there as well. */
    private static void awaitEventFileFor(String orderId, Path folder) {
        await("order.confirmed of " + orderId + " in " + folder).atMost(Duration.ofSeconds(30))
                .until(() -> filesMentioning(folder, orderId) == 1);
    }

    private static long filesMentioning(Path folder, String orderId) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".json")).filter(f -> {
                try {
                    String text = Files.readString(f, StandardCharsets.UTF_8);
                    return text.contains("\"orderId\":\"" + orderId + "\"") && text.contains("\"type\":\"order.confirmed\"");
                } catch (IOException e) {
                    return false;
                }
            }).count();
        }
    }

    /** The route as an operator sees it in the console (Jolokia over the route MBeans). */
    private static void awaitRoute(String routeId, boolean present) {
        await("route " + routeId + (present ? " running" : " gone")).atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            HttpResponse<String> search = Http.get(withRoutesDir.url() + "/actuator/jolokia/search/org.apache.camel:type=routes,*",
                    SystemUnderTest.OPERATOR);
            assertThat(search.statusCode()).isEqualTo(200);
            boolean found = search.body().contains("name=\\\"" + routeId + "\\\"") || search.body().contains("name=\"" + routeId + "\"")
                    || search.body().contains("name=%22" + routeId + "%22");
            assertThat(found).as(search.body()).isEqualTo(present);
            if (present) {
                String mbean = "org.apache.camel:context=order-service,type=routes,name=%22" + routeId + "%22";
                assertThat(Http.get(withRoutesDir.url() + "/actuator/jolokia/read/" + mbean + "/State", SystemUnderTest.OPERATOR).body())
                        .contains("Started");
            }
        });
    }

    private static double metric(String name) {
        String body = Http.get(withRoutesDir.url() + "/actuator/prometheus", SystemUnderTest.OPERATOR).body();
        return body.lines().filter(l -> l.startsWith(name)).mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .sum();
    }

    /** Written beside the folder, then renamed in: a watcher never sees half a file. */
    private static void deploy(String name, String content) throws IOException {
        Path tmp = work.resolve(name + ".tmp");
        Files.writeString(tmp, content, StandardCharsets.UTF_8);
        Files.move(tmp, routesDir.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static String integration(Path folder) {
        return """
                # order.confirmed, each event once, as a JSON file named after its messageId
                - templatedRoute:
                    routeTemplateRef: shop-event-subscription
                    routeId: %s
                    parameters:
                      - name: eventType
                        value: order.confirmed
                      - name: queue
                        value: %s
                      - name: handler
                        value: direct:%s
                - route:
                    id: %s
                    routeConfigurationId: integration-step
                    from:
                      uri: direct:%s
                      steps:
                        - marshal:
                            json:
                              library: Jackson
                        - to:
                            uri: file:%s
                            parameters:
                              fileName: "${header.messageId}.json"
                              tempPrefix: .writing-
                """.formatted(ROUTE_ID, queue, WRITER_ID, WRITER_ID, WRITER_ID, folder);
    }

    private static void deleteQueues() {
        if (queue == null) {
            return;
        }
        ConnectionFactory factory = Vhosts.factory();
        try (com.rabbitmq.client.Connection c = factory.newConnection(); Channel ch = c.createChannel()) {
            ch.queueDelete(queue);
            ch.queueDelete(queue + ".dlq");
        } catch (Exception e) {
            // best effort: a durable test queue left behind is harmless
        }
    }
}
