package shop.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

import shop.systemtests.Commands;
import shop.systemtests.Databases;

/** What the numbers were measured on: they mean little without it. */
final class Machine {

    static String describe(Path root) {
        return String.format("%d cores (%s), %s RAM, %s; PostgreSQL %s, RabbitMQ %s, Java %s; commit %s",
                Runtime.getRuntime().availableProcessors(), cpuModel(), memory(), os(), postgresVersion(),
                command(root, "rabbitmqctl", "-q", "version"), System.getProperty("java.runtime.version"), commit(root));
    }

    static String commit(Path root) {
        String head = command(root, "git", "rev-parse", "--short", "HEAD");
        String dirty = command(root, "git", "status", "--porcelain", "--untracked-files=no");
        return dirty.isBlank() || dirty.equals("?") ? head : head + "+changes";
    }

    private static String cpuModel() {
        return grep(Path.of("/proc/cpuinfo"), "model name").replaceAll("\\s+", " ");
    }

    private static String memory() {
        String kib = grep(Path.of("/proc/meminfo"), "MemTotal").replaceAll("[^0-9]", "");
        return kib.isEmpty() ? "?" : Math.round(Long.parseLong(kib) / 1024.0 / 1024.0) + " GiB";
    }

    private static String os() {
        String pretty = grep(Path.of("/etc/os-release"), "PRETTY_NAME").replace("\"", "");
        return pretty.isEmpty() ? System.getProperty("os.name") : pretty;
    }

    private static String postgresVersion() {
        try (Connection c = Databases.connect("postgres");
             Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SHOW server_version")) {
            rs.next();
            return rs.getString(1).replaceAll(" .*", "");
        } catch (Exception e) {
            return "?";
        }
    }

    private static String grep(Path file, String key) {
        try {
            return Files.readAllLines(file).stream().filter(l -> l.startsWith(key)).findFirst()
                    .map(l -> l.substring(l.indexOf(key.endsWith("NAME") ? '=' : ':') + 1).trim()).orElse("");
        } catch (IOException e) {
            return "";
        }
    }

    private static String command(Path dir, String... command) {
        Commands.Result result = Commands.run(List.of(command), dir, Duration.ofSeconds(30), line -> { });
        return result.ok() ? result.output().trim() : "?";
    }

    private Machine() {
    }
}
