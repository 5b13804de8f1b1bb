package shop.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import shop.systemtests.Commands;
import shop.systemtests.Databases;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The benchmark's floor stays true to the services: its schema is built from every Flyway migration they
 * have, and its one-order script runs on it without a failed transaction, leaving one order's rows per run.
 */
class FloorScriptIT {

    static final String DATABASE = "shop_floor_check";
    final Path root = Path.of(System.getProperty("shop.root", "..")).toAbsolutePath().normalize();
    final Path bench = root.resolve("bench/floor");

    @Test
    void theFloorSchemaIncludesEveryMigrationOfEveryService() throws Exception {
        String schema = Files.readString(bench.resolve("floor-schema.sql"));
        List<Path> migrations;
        try (Stream<Path> files = Files.walk(root, 8)) {
            migrations = files.filter(p -> p.toString().matches(".*/src/main/resources/db/(platform|migration)/V[^/]+\\.sql"))
                    .filter(p -> !p.toString().contains("/target/")).toList();
        }
        assertThat(migrations).hasSizeGreaterThanOrEqualTo(6);
        for (Path migration : migrations) {
            assertThat(schema).as("floor-schema.sql includes " + root.relativize(migration))
                    .contains("\\ir ../../" + root.relativize(migration));
        }
    }

    @Test
    void oneOrdersSqlRunsOnTheFloorSchemaAndLeavesOneOrdersRows() throws Exception {
        Floor.createSchema(root, DATABASE);
        String output = Commands.require("pgbench", "-h", "127.0.0.1", "-U", "postgres", "-n", "-M", "prepared", "-c", "2", "-j", "1",
                "-t", "10", "-f", bench.resolve("floor.sql").toString(), DATABASE);
        assertThat(output).contains("number of failed transactions: 0");

        try (var c = Databases.connect(DATABASE);
             var st = c.createStatement();
             var rs = st.executeQuery("""
                     SELECT (SELECT count(*) FROM orders.orders WHERE status = 'CONFIRMED'),
                            (SELECT count(*) FROM inventory.reservations WHERE status = 'CONFIRMED'),
                            (SELECT count(*) FROM payments.payments WHERE status = 'COMPLETED'),
                            (SELECT count(*) FROM shipping.shipments),
                            (SELECT 100 * 100000000::bigint - sum(available) FROM inventory.products),
                            (SELECT sum(reserved) FROM inventory.products)""")) {
            rs.next();
            for (int column = 1; column <= 4; column++) {
                assertThat(rs.getLong(column)).as("rows of 20 orders, column " + column).isEqualTo(20);
            }
            assertThat(rs.getLong(5)).as("units sold").isEqualTo(20);
            assertThat(rs.getLong(6)).as("units left reserved").isZero();
        }
    }
}
