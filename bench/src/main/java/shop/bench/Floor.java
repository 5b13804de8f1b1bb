package shop.bench;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import shop.systemtests.Commands;
import shop.systemtests.Databases;

/**
 * The yardstick: pgbench running one order's SQL ({@code bench/floor/floor.sql}) on the same PostgreSQL,
 * in a database of its own ({@code shop_floor}, recreated from {@code floor-schema.sql}). One pgbench
 * transaction is one order, so its tps is the floor in orders per second.
 */
final class Floor {

    static final String DATABASE = "shop_floor";
    private static final Pattern TPS = Pattern.compile("tps = ([0-9.]+) \\(without initial connection time\\)");
    private static final Pattern FAILED = Pattern.compile("number of failed transactions: (\\d+)");

    record Result(double ordersPerSecond, long failed, String command) {
    }

    static Result run(BenchSettings settings) {
        Path bench = settings.root().resolve("bench/floor");
        createSchema(settings.root(), DATABASE);
        List<String> pgbench = List.of("pgbench", "-h", "127.0.0.1", "-U", "postgres", "-n", "-M", "prepared",
                "-c", Integer.toString(settings.floorClients()), "-j", "2",
                "-T", Long.toString(settings.floorDuration().toSeconds()), "-P", "5",
                "-f", bench.resolve("floor.sql").toString(), DATABASE);
        String command = String.join(" ", pgbench).replace(settings.root() + "/", "");
        System.out.println("floor: " + command);
        // pgbench's progress lines (-P) to the console as they come
        Commands.Result result = Commands.run(pgbench, null, settings.floorDuration().plusMinutes(2), line -> {
            if (line.startsWith("progress:")) {
                System.out.println("  floor " + line);
            }
        });
        Matcher tps = TPS.matcher(result.output());
        if (!result.ok() || !tps.find()) {
            throw new IllegalStateException(command + " failed:\n" + result.output());
        }
        Matcher failed = FAILED.matcher(result.output());
        return new Result(Double.parseDouble(tps.group(1)), failed.find() ? Long.parseLong(failed.group(1)) : 0, command);
    }

    /** A database {@code db} afresh, with the floor's schema ({@code floor-schema.sql}: the services' migrations). */
    static void createSchema(Path root, String db) {
        Databases.recreate(db);
        Commands.require("psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-v", "ON_ERROR_STOP=1", "-d", db,
                "-f", root.resolve("bench/floor/floor-schema.sql").toString());
    }

    private Floor() {
    }
}
