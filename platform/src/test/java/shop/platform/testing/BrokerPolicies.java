package shop.platform.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The broker policies of config/rabbitmq/definitions.json on the vhost a test uses, applied the way
 * bin/ensure-infra applies them to the local broker: by bin/apply-policies (rabbitmqctl; the management
 * plugin is not enabled here). Once per vhost and JVM; the script itself sets only what differs.
 */
public final class BrokerPolicies {

    private static final Set<String> applied = ConcurrentHashMap.newKeySet();

    /** The vhost the services and tests use: {@code RABBITMQ_VHOST}, else "/". */
    public static String vhost() {
        String vhost = System.getenv("RABBITMQ_VHOST");
        return vhost == null || vhost.isBlank() ? "/" : vhost;
    }

    public static void apply() {
        apply(vhost());
    }

    public static synchronized void apply(String vhost) {
        if (applied.contains(vhost)) {
            return;
        }
        Path script = repositoryRoot().resolve("bin/apply-policies");
        try {
            Process process = new ProcessBuilder(script.toString(), vhost).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(script + " " + vhost + " failed: " + output);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + script, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        applied.add(vhost);
    }

    /**
     * A vhost of this test run's own, named after the run's vhost ({@code <RABBITMQ_VHOST>-<suffix>}), deleted if
     * it exists and created afresh for guest - with the policies or, to see a broker that lacks them, without.
     */
    public static String freshVhost(String suffix, boolean withPolicies) {
        String base = vhost().equals("/") ? "shop" : vhost();
        String name = base + "-" + suffix;
        rabbitmqctl("delete_vhost", name); // absent the first time
        requireRabbitmqctl("add_vhost", name);
        requireRabbitmqctl("set_permissions", "-p", name, "guest", ".*", ".*", ".*");
        applied.remove(name);
        if (withPolicies) {
            apply(name);
        }
        return name;
    }

    public static void deleteVhost(String name) {
        rabbitmqctl("delete_vhost", name);
        applied.remove(name);
    }

    private static void requireRabbitmqctl(String... args) {
        if (rabbitmqctl(args) != 0) {
            throw new IllegalStateException("rabbitmqctl " + String.join(" ", args) + " failed");
        }
    }

    private static int rabbitmqctl(String... args) {
        List<String> command = new ArrayList<>(List.of("rabbitmqctl", "-q"));
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return process.waitFor(60, TimeUnit.SECONDS) ? process.exitValue() : -1;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run rabbitmqctl", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The checkout: the first folder up from the working directory (a module's) that has bin/apply-policies. */
    public static Path repositoryRoot() {
        String configured = System.getProperty("shop.root");
        for (Path dir = Path.of(configured != null ? configured : "").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isExecutable(dir.resolve("bin/apply-policies"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no bin/apply-policies above " + Path.of("").toAbsolutePath());
    }

    private BrokerPolicies() {
    }
}
