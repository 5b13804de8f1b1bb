package shop.bench;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The work per order: counters' growth over a phase divided by its orders, and the services' client metrics read. */
class WorkAccountTest {

    @Test
    void eachCountersGrowthIsDividedByTheOrders() {
        Map<String, Map<String, Long>> before = new LinkedHashMap<>();
        before.put("order", Map.of("transactions", 1_000L, "published", 50L));
        before.put("payment", Map.of("transactions", 7L));
        Map<String, Map<String, Long>> after = new LinkedHashMap<>();
        after.put("order", Map.of("transactions", 2_300L, "published", 350L));
        after.put("payment", Map.of("transactions", 557L, "published", 100L));

        Map<String, Map<String, Double>> perOrder = WorkAccount.perOrder(before, after, 100);
        assertThat(perOrder.keySet()).containsExactly("order", "payment");
        assertThat(perOrder.get("order")).containsEntry("transactions", 13.0).containsEntry("published", 3.0);
        assertThat(perOrder.get("payment")).containsEntry("transactions", 5.5).as("a counter new since the start counts from 0")
                .containsEntry("published", 1.0);
        assertThat(WorkAccount.perOrder(before, after, 0).get("order")).as("no orders: the work itself")
                .containsEntry("transactions", 1300.0);
    }

    @Test
    void aMetricIsSummedOverItsLabelSetsInThePrometheusText() {
        String exposition = """
                # HELP rabbitmq_published_total
                # TYPE rabbitmq_published_total counter
                rabbitmq_published_total{application="order-service",name="rabbitConnectionFactory"} 1234.0
                rabbitmq_published_total{application="order-service",name="other"} 6.0
                rabbitmq_published_total_created{name="rabbitConnectionFactory"} 1.7E9
                rabbitmq_consumed_total{name="rabbitConnectionFactory"} 1.0E3
                rabbitmq_unrouted_published_total 2
                """;
        assertThat(WorkAccount.sumOf(exposition, "rabbitmq_published_total")).isEqualTo(1240);
        assertThat(WorkAccount.sumOf(exposition, "rabbitmq_consumed_total")).isEqualTo(1000);
        assertThat(WorkAccount.sumOf(exposition, "rabbitmq_unrouted_published_total")).isEqualTo(2);
        assertThat(WorkAccount.sumOf(exposition, "rabbitmq_acknowledged_total")).isZero();
    }
}
