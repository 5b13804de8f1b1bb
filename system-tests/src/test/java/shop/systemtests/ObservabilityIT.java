package shop.systemtests;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** One order, one trace id in every service's logs; metrics operators rely on; the console's access rules. */
class ObservabilityIT extends SystemTest {


    @Test
    void theCallersTraceIdFollowsTheOrderThroughAllFourServices() {
        String sku = Shop.uniqueSku("TRACE");
        shop.stock(sku, 1500, 3);
        String traceId = java.util.UUID.randomUUID().toString().replace("-", "");
        String traceparent = "00-" + traceId + "-00f067aa0ba902b7-01";

        HttpResponse<String> r = Http.post(system.orders.url() + "/orders", system.customer("trace"),
                Http.write(Shop.order("pm_card_visa", sku, 1)), Map.of("traceparent", traceparent));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        String orderId = Http.json(r).get("orderId").asText();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(shop.shipments(orderId)).hasSize(1));

        await("spans of all four services in the trace").atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(system.traces.servicesOf(traceId))
                        .contains("order-service", "inventory-service", "payment-service", "shipping-service"));
        for (ServiceProcess service : List.of(system.orders, system.inventory, system.payments, system.shipping)) {
            await(service.name() + " logged the trace").atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(service.logText().lines().filter(l -> l.contains(traceId)))
                            .as(service.name() + " log lines with trace id " + traceId)
                            .isNotEmpty()
                            .allSatisfy(l -> assertThat(l).contains("[" + service.name() + "]")));
        }
    }

    @Test
    void businessAndRouteMetricsAreExposedToOperatorsAndViewers() {
        String sku = Shop.uniqueSku("METRIC");
        shop.stock(sku, 100, 1);
        shop.place("metrics", Shop.order("pm_card_visa", sku, 1));
        shop.place("metrics", Shop.order("pm_card_visa", sku, 1));

        String orders = Http.get(system.orders.url() + "/actuator/prometheus", SystemUnderTest.VIEWER).body();
        assertThat(orders).contains("shop_orders_total{", "outcome=\"confirmed\"", "outcome=\"out_of_stock\"",
                "shop_saga_duration_seconds_bucket", "resilience4j_circuitbreaker_state{", "camel_exchanges_total",
                "jvm_memory_used_bytes", "shop_outbox_backlog");
        String shipping = Http.get(system.shipping.url() + "/actuator/prometheus", SystemUnderTest.OPERATOR).body();
        assertThat(shipping).contains("shop_dlq_messages{", "shop_inbox_duplicates_total");
        assertThat(Http.get(system.orders.url() + "/actuator/prometheus", null).statusCode()).isEqualTo(401);
        for (String sensitive : List.of("env", "heapdump", "threaddump", "configprops", "beans", "shutdown")) {
            assertThat(Http.get(system.orders.url() + "/actuator/" + sensitive, SystemUnderTest.OPERATOR).statusCode())
                    .as("/actuator/" + sensitive).isEqualTo(404);
        }
    }

    @Test
    void everyMetricTheDashboardsQueryExistsInARunningService() throws Exception {
        java.nio.file.Path list = java.nio.file.Path.of(System.getProperty("shop.root", "..")).resolve("config/grafana/dashboards/metrics-used.txt");
        List<String> names = java.nio.file.Files.readAllLines(list).stream()
                .map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        StringBuilder exposed = new StringBuilder();
        for (ServiceProcess s : List.of(system.orders, system.inventory, system.payments, system.shipping)) {
            exposed.append(Http.get(s.url() + "/actuator/prometheus", SystemUnderTest.OPERATOR).body());
        }
        String all = exposed.toString();
        assertThat(names).isNotEmpty().allSatisfy(name ->
                assertThat(all).as("metric " + name + " queried by a dashboard").containsPattern("(?m)^" + name + "[{ ]"));
    }

    @Test
    void theConsoleLetsViewersLookAndOnlyOperatorsOperate() {
        assertThat(Http.get(system.orders.url() + "/actuator/hawtio/", SystemUnderTest.OPERATOR).statusCode()).isEqualTo(200);
        assertThat(Http.get(system.orders.url() + "/actuator/hawtio/", SystemUnderTest.VIEWER).statusCode()).isEqualTo(200);
        assertThat(Http.get(system.orders.url() + "/actuator/hawtio/", null).statusCode()).isEqualTo(401);
        assertThat(Http.get(system.orders.url() + "/actuator/hawtio/", system.customer("alice")).statusCode()).isIn(401, 403);

        String mbean = "org.apache.camel:context=order-service,type=routes,name=%22saga-recovery%22";
        assertThat(Http.get(system.orders.url() + "/actuator/jolokia/read/" + mbean + "/State", SystemUnderTest.VIEWER).body())
                .contains("Started");
        assertThat(Http.get(system.orders.url() + "/actuator/jolokia/exec/" + mbean + "/stop()", SystemUnderTest.VIEWER).statusCode())
                .isEqualTo(403);
        assertThat(Http.get(system.orders.url() + "/actuator/jolokia/read/" + mbean + "/State", SystemUnderTest.VIEWER).body())
                .contains("Started");
        assertThat(Http.get(system.orders.url() + "/actuator/jolokia/exec/" + mbean + "/stop()", SystemUnderTest.OPERATOR).statusCode())
                .isEqualTo(200);
        assertThat(Http.get(system.orders.url() + "/actuator/jolokia/read/" + mbean + "/State", SystemUnderTest.VIEWER).body())
                .contains("Stopped");
        assertThat(Http.get(system.orders.url() + "/actuator/jolokia/exec/" + mbean + "/start()", SystemUnderTest.OPERATOR).statusCode())
                .isEqualTo(200);
        assertThat(Http.get(system.orders.url() + "/actuator/jolokia/read/" + mbean + "/State", SystemUnderTest.VIEWER).body())
                .contains("Started");
    }
}
