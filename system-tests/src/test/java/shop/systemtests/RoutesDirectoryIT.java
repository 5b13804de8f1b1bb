package shop.systemtests;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
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
