package shop.systemtests;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The crash matrix: {@code kill -9} of the order, the inventory or the payment service while orders are in
 * flight at every saga step; restart; clients retry with their keys. Afterwards no order is PENDING and
 * stock, payments and reservations agree (see {@link Invariants}).
 */
class CrashRecoveryIT extends SystemTest {

    static Invariants invariants;

    @BeforeAll
    static void invariants() {
        invariants = new Invariants(system);
    }

    @Test
    void orderServiceKilledMidSaga() throws Exception {
        crashWhileOrdering("crash-order", s -> s.orders);
    }

    @Test
    void inventoryServiceKilledMidSaga() throws Exception {
        crashWhileOrdering("crash-inventory", s -> s.inventory);
    }

    @Test
    void paymentServiceKilledMidSaga() throws Exception {
        crashWhileOrdering("crash-payment", s -> s.payments);
    }

    private void crashWhileOrdering(String user, Function<SystemUnderTest, ServiceProcess> victim) throws Exception {
        String sku = Shop.uniqueSku("CRASH");
        int initial = 500;
        shop.stock(sku, 199, initial);
        Map<String, Map<String, Object>> keys = new ConcurrentHashMap<>();
        AtomicBoolean ordering = new AtomicBoolean(true);
        ExecutorService clients = Executors.newFixedThreadPool(6);
        for (int c = 0; c < 6; c++) {
            int client = c;
            clients.submit(() -> {
                // a client places its orders one after another (at most 15) and backs off after a failure
                for (int n = 0; ordering.get() && n < 15; n++) {
                    String key = user + "-" + client + "-" + n;
                    Map<String, Object> order = Shop.order("pm_card_visa", sku, 1 + (n % 3));
                    keys.put(key, order);
                    try {
                        if (shop.place(user, order, key).statusCode() >= 500) {
                            Thread.sleep(200);
                        }
                    } catch (RuntimeException connectionLost) {
                        // the service died under us: the client will retry with its key later
                        Thread.sleep(200);
                    }
                }
                return null;
            });
        }
        await("orders in flight").atMost(Duration.ofSeconds(30)).until(() -> keys.size() >= 12);

        ServiceProcess dying = victim.apply(system);
        dying.kill();
        await("more requests while it is down").atMost(Duration.ofSeconds(20)).until(() -> keys.size() >= 18);
        dying.start();
        dying.awaitReady();
        ordering.set(false);
        clients.shutdown();
        assertThat(clients.awaitTermination(120, TimeUnit.SECONDS)).isTrue();

        // clients retry every request with its key until it has a final answer
        for (Map.Entry<String, Map<String, Object>> request : keys.entrySet()) {
            await("final answer for " + request.getKey()).atMost(Duration.ofSeconds(60))
                    .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(300))
                    .until(() -> {
                        HttpResponse<String> r = shop.place(user, request.getValue(), request.getKey());
                        return r.statusCode() == 201 || r.statusCode() == 409 || r.statusCode() == 402;
                    });
        }

        invariants.awaitAllSagasFinished(Duration.ofSeconds(90));
        invariants.assertConsistent(user, sku, initial);
        List<Map<String, Object>> confirmedPerKey = new ArrayList<>(system.query("order-service",
                "SELECT coalesce(idempotency_key, released_idempotency_key) AS k, count(*) AS n FROM orders "
                        + "WHERE user_id = ? AND status = 'CONFIRMED' GROUP BY 1 HAVING count(*) > 1", user));
        assertThat(confirmedPerKey).as("keys with more than one confirmed order").isEmpty();
    }
}
