package shop.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import shop.systemtests.SystemUnderTest;

/**
 * The yardstick: pgbench running one order's SQL ({@code system-tests/bench/floor.sql}) on the same PostgreSQL,
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
        Path bench = settings.root().resolve("system-tests/bench");
        SystemUnderTest.recreate(DATABASE);
        exec(List.of("psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-v", "ON_ERROR_STOP=1", "-d", DATABASE,
                "-f", bench.resolve("floor-schema.sql").toString()));
        List<String> pgbench = new ArrayList<>(List.of("pgbench", "-h", "127.0.0.1", "-U", "postgres", "-n", "-M", "prepared",
                "-c", Integer.toString(settings.floorClients()), "-j", "2",
                "-T", Long.toString(settings.floorDuration().toSeconds()), "-P", "5",
                "-f", bench.resolve("floor.sql").toString(), DATABASE));
        String command = String.join(" ", pgbench).replace(settings.root() + "/", "");
        System.out.println("floor: " + command);
        String output = exec(pgbench);
        Matcher tps = TPS.matcher(output);
        if (!tps.find()) {
            throw new IllegalStateException("pgbench printed no tps:\n" + output);
        }
        Matcher failed = FAILED.matcher(output);
        return new Result(Double.parseDouble(tps.group(1)), failed.find() ? Long.parseLong(failed.group(1)) : 0, command);
    }

    /** Runs a command, echoing pgbench's progress lines ({@code -P}) to the console as they come. */
    private static String exec(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            StringBuilder output = new StringBuilder();
            try (var reader = process.inputReader(StandardCharsets.UTF_8)) {
                String line;
                while ((line = reader.readLine()) != null) {
                    output.append(line).append('\n');
                    if (line.startsWith("progress:")) {
                        System.out.println("  floor " + line);
                    }
                }
            }
            if (process.waitFor() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed:\n" + output);
            }
            return output.toString();
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command.get(0), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private Floor() {
    }
}
