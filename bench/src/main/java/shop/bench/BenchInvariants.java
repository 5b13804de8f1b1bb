package shop.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * After the load: every saga finished, and the four databases agree - one COMPLETED payment, one confirmed
 * reservation and one shipment per confirmed order, stock neither oversold nor left reserved, every outbox
 * row relayed. Returns what is broken (empty when all holds).
 */
final class BenchInvariants {

    private final BenchSystem system;
    private final Map<String, Long> figures = new LinkedHashMap<>();
    private final List<String> violations = new ArrayList<>();

    BenchInvariants(BenchSystem system) {
        this.system = system;
    }

    List<String> check(long answeredConfirmed, long initialStock) {
        await("sagas finished", () -> system.count("order-service",
                "SELECT count(*) FROM orders WHERE status = 'PENDING' OR saga_step = 'COMPENSATING'") == 0);
        long pending = figure("orders PENDING", "order-service", "SELECT count(*) FROM orders WHERE status = 'PENDING'");
        long confirmed = figure("orders CONFIRMED", "order-service", "SELECT count(*) FROM orders WHERE status = 'CONFIRMED'");
        long failed = figure("orders FAILED", "order-service", "SELECT count(*) FROM orders WHERE status = 'FAILED'");
        expect(pending == 0, pending + " orders left PENDING");
        expect(failed == 0, failed + " orders FAILED");
        expect(confirmed == answeredConfirmed, confirmed + " orders CONFIRMED but " + answeredConfirmed + " answered 201");

        long completed = figure("payments COMPLETED", "payment-service", "SELECT count(*) FROM payments WHERE status = 'COMPLETED'");
        long doubleCharged = figure("orders charged twice", "payment-service",
                "SELECT count(*) FROM (SELECT order_id FROM payments WHERE status = 'COMPLETED' GROUP BY order_id HAVING count(*) > 1) d");
        expect(completed == confirmed, completed + " COMPLETED payments for " + confirmed + " confirmed orders");
        expect(doubleCharged == 0, doubleCharged + " orders charged twice");

        long sold = figure("units sold", "inventory-service", "SELECT " + initialStock + " - sum(available) FROM products WHERE product_id LIKE 'BENCH-%'");
        long reserved = figure("units still reserved", "inventory-service", "SELECT sum(reserved) FROM products WHERE product_id LIKE 'BENCH-%'");
        long confirmedUnits = figure("units in confirmed reservations", "inventory-service",
                "SELECT coalesce(sum(l.quantity), 0) FROM reservation_lines l JOIN reservations r USING (reservation_id) WHERE r.status = 'CONFIRMED'");
        expect(reserved == 0, reserved + " units still reserved");
        expect(sold == confirmedUnits && sold == confirmed, sold + " units left the stock, " + confirmedUnits
                + " in confirmed reservations, " + confirmed + " confirmed orders of one unit");

        await("shipments created", () -> system.count("shipping-service", "SELECT count(DISTINCT order_id) FROM shipments") >= confirmed);
        long shipped = figure("orders shipped", "shipping-service", "SELECT count(DISTINCT order_id) FROM shipments");
        long shipments = figure("shipments", "shipping-service", "SELECT count(*) FROM shipments");
        expect(shipped == confirmed, shipped + " orders shipped of " + confirmed + " confirmed");
        expect(shipments == shipped, (shipments - shipped) + " orders shipped twice");

        for (String service : BenchSystem.START_ORDER) {
            await(service + " outbox relayed", () -> system.count(service, "SELECT count(*) FROM outbox") == 0);
            long left = figure(service + " outbox rows left", service, "SELECT count(*) FROM outbox");
            expect(left == 0, left + " outbox rows of " + service + " not relayed");
        }
        return violations;
    }

    Map<String, Long> figures() {
        return figures;
    }

    private long figure(String name, String service, String sql) {
        long value = system.count(service, sql);
        figures.put(name, value);
        return value;
    }

    private void expect(boolean holds, String violation) {
        if (!holds) {
            violations.add(violation);
        }
    }

    /** Polls up to two minutes; a condition that never holds shows up as a violation in the figures after it. */
    private static void await(String what, BooleanSupplier condition) {
        try {
            Awaitility.await(what).atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200))
                    .until(condition::getAsBoolean);
        } catch (ConditionTimeoutException e) {
            System.out.println("  gave up waiting: " + what);
        }
    }
}
