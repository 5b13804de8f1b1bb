package shop.platform.routes;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.apache.camel.support.PluginHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code ROUTES_DIR} (CONTRACT.md, Route DSL): every {@code *.yaml} there is loaded when the service starts
 * and the folder is watched - polled every {@code shop.routes.poll-interval-ms}, by content hash - so that
 * a file added, changed or removed takes effect within seconds, without a restart.
 * <p>
 * A changed file is checked before anything is touched ({@link RouteChecks}: YAML syntax, what a ROUTES_DIR
 * file may contain, the YAML DSL schema, then its routes created in a throwaway CamelContext on the
 * application's beans), and its route ids must belong to no other file and to no route of the jar. Only a
 * file that passes is swapped in: the routes its previous version defined are stopped and removed, the new
 * ones added and started; should that still fail, the previous version is put back. A refused file is
 * logged (file, line, reason), counted ({@code shop_routes_reload_failures_total}) and changes nothing: the
 * service stays ready and every route keeps running, the previous version of that file's routes included.
 * A removed file's routes are stopped and removed. Hidden files, editor backups and temporary files are
 * ignored, so writing a file elsewhere and renaming it in is the way to deploy (atomic).
 * <p>
 * This replaces Camel's own route reload for ROUTES_DIR: that one removes a route before it knows the new
 * version can be created (CAMEL-NOTES, YAML DSL).
 */
public class RoutesDirectory implements CamelContextConfiguration {

    private static final Logger log = LoggerFactory.getLogger(RoutesDirectory.class);

    /** What one file put into the CamelContext. */
    private record Loaded(String hash, String content, List<String> routeIds) {
    }

    private final CamelContext camel;
    private final Path directory;
    private final long pollIntervalMs;
    private final RouteChecks checks;
    private final Counter failures;
    private final Counter reloads;
    private final Map<String, Loaded> loaded = new TreeMap<>();
    private final Map<String, String> refused = new HashMap<>();
    private ScheduledExecutorService poller;
    private boolean missingReported;

    public RoutesDirectory(CamelContext camel, Path directory, long pollIntervalMs, MeterRegistry meters) {
        this.camel = camel;
        this.directory = directory.toAbsolutePath().normalize();
        this.pollIntervalMs = Math.max(100, pollIntervalMs);
        this.checks = new RouteChecks(new ApplicationValidationEnvironment(camel));
        this.failures = Counter.builder("shop.routes.reload.failures")
                .description("route files in ROUTES_DIR refused (broken or clashing); the routes running before keep running")
                .register(meters);
        this.reloads = Counter.builder("shop.routes.reloads")
                .description("route files in ROUTES_DIR loaded, replaced or removed").register(meters);
        Gauge.builder("shop.routes.files", loaded, Map::size).description("route files from ROUTES_DIR in effect").register(meters);
    }

    public Path directory() {
        return directory;
    }

    @Override
    public void beforeApplicationStart(CamelContext camelContext) {
        // the jar's routes, configurations and templates are added first
    }

    /** The initial load runs on the starting thread, before the service reports ready; then the folder is watched. */
    @Override
    public void afterApplicationStart(CamelContext camelContext) {
        log.info("ROUTES_DIR {}: loading *.yaml, then checking for changes every {} ms", directory, pollIntervalMs);
        scan();
        poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "routes-dir");
            t.setDaemon(true);
            return t;
        });
        poller.scheduleWithFixedDelay(this::scanSafely, pollIntervalMs, pollIntervalMs, TimeUnit.MILLISECONDS);
    }

    public void stop() {
        if (poller != null) {
            poller.shutdownNow();
        }
    }

    private void scanSafely() {
        try {
            scan();
        } catch (RuntimeException | Error e) {
            log.error("ROUTES_DIR {}: scan failed, will try again: {}", directory, e.toString(), e);
        }
    }

    /** One pass over the folder: removals first, then additions and changes in file-name order. */
    public synchronized void scan() {
        if (!camel.isStarted() || camel.isStopping()) {
            return;
        }
        Map<String, Path> files = listFiles();
        for (String name : new ArrayList<>(loaded.keySet())) {
            if (!files.containsKey(name)) {
                remove(name);
            }
        }
        refused.keySet().retainAll(files.keySet());
        for (Map.Entry<String, Path> file : files.entrySet()) {
            String name = file.getKey();
            String content;
            try {
                content = Files.readString(file.getValue(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                continue; // vanished or unreadable right now: next pass
            }
            String hash = sha256(content);
            Loaded current = loaded.get(name);
            if (current != null && current.hash().equals(hash) || hash.equals(refused.get(name))) {
                continue;
            }
            apply(name, file.getValue(), content, hash, current);
        }
    }

    /** Route ids a file put into the service, by file name. */
    public synchronized Map<String, List<String>> routesByFile() {
        Map<String, List<String>> out = new TreeMap<>();
        loaded.forEach((name, l) -> out.put(name, l.routeIds()));
        return out;
    }

    private Map<String, Path> listFiles() {
        Map<String, Path> files = new TreeMap<>();
        if (!Files.isDirectory(directory)) {
            if (!missingReported) {
                log.warn("ROUTES_DIR {} does not exist (yet): no route files loaded from it", directory);
                missingReported = true;
            }
            return files;
        }
        missingReported = false;
        try (Stream<Path> list = Files.list(directory)) {
            list.filter(p -> isRouteFile(p.getFileName().toString()) && Files.isRegularFile(p))
                    .forEach(p -> files.put(p.getFileName().toString(), p));
        } catch (IOException e) {
            log.warn("ROUTES_DIR {}: cannot list: {}", directory, e.toString());
        }
        return files;
    }

    /** {@code *.yaml}, not hidden ({@code .x.yaml}, editors' swap files) nor temporary ({@code x.yaml.tmp}, {@code x.yaml~}). */
    static boolean isRouteFile(String name) {
        return name.endsWith(".yaml") && !name.startsWith(".") && !name.startsWith("~") && !name.startsWith("#");
    }

    private void apply(String name, Path path, String content, String hash, Loaded previous) {
        RouteFile file = RouteFile.parse(path.toString(), content);
        RouteChecks.Result result = checks.check(file, RouteChecks.Mode.ROUTES_DIR);
        List<RouteProblem> problems = new ArrayList<>(result.problems());
        if (problems.isEmpty()) {
            problems.addAll(clashes(file, name, result.routeIds()));
        }
        if (!problems.isEmpty()) {
            refuse(name, hash, problems, previous);
            return;
        }
        Set<String> keep = routeIds();
        List<String> old = previous == null ? List.of() : previous.routeIds();
        keep.removeAll(old);
        removeRoutes(old);
        try {
            PluginHelper.getRoutesLoader(camel).loadRoutes(RouteChecks.resource(path.toString(), content));
            List<String> added = addedSince(keep);
            for (String id : added) {
                Route route = camel.getRoute(id);
                ServiceStatus status = camel.getRouteController().getRouteStatus(id);
                if (route != null && route.isAutoStartup() && status != null && !status.isStarted()) {
                    throw new IllegalStateException("route " + id + " did not start (" + status + ")");
                }
            }
            loaded.put(name, new Loaded(hash, content, added));
            refused.remove(name);
            reloads.increment();
            log.info("ROUTES_DIR {}: {} route(s) {}{}", path, previous == null ? "loaded" : "replaced with", added,
                    previous == null ? "" : " (were " + old + ")");
        } catch (Exception e) {
            List<String> partial = addedSince(keep);
            removeRoutes(partial);
            String restored = "";
            if (previous != null) {
                try {
                    PluginHelper.getRoutesLoader(camel).loadRoutes(RouteChecks.resource(path.toString(), previous.content()));
                    loaded.put(name, new Loaded(previous.hash(), previous.content(), addedSince(keep)));
                    restored = "; the previous version is running again";
                } catch (Exception again) {
                    loaded.remove(name);
                    restored = "; the previous version could not be restored either: " + RouteChecks.describe(again);
                }
            } else {
                loaded.remove(name);
            }
            refuse(name, hash, List.of(RouteChecks.problemOf(file, e, null)), null);
            if (!restored.isEmpty()) {
                log.warn("ROUTES_DIR {}: {}", path, restored.substring(2));
            }
        }
    }

    /** A file may not take over a route id of another file or of the jar. */
    private List<RouteProblem> clashes(RouteFile file, String name, List<String> ids) {
        List<RouteProblem> problems = new ArrayList<>();
        Loaded own = loaded.get(name);
        for (String id : ids) {
            String owner = loaded.entrySet().stream().filter(e -> !e.getKey().equals(name) && e.getValue().routeIds().contains(id))
                    .map(Map.Entry::getKey).findFirst().orElse(null);
            RouteFile.Item item = file.itemWithId(id);
            int line = item != null ? item.line() : 1;
            if (owner != null) {
                problems.add(new RouteProblem(file.name(), line, "route id '" + id + "' is already defined by "
                        + directory.resolve(owner) + ": route ids must be unique"));
            } else if (camel.getRoute(id) != null && (own == null || !own.routeIds().contains(id))) {
                problems.add(new RouteProblem(file.name(), line, "route id '" + id
                        + "' is a route of the service itself: a ROUTES_DIR file cannot replace it, choose another id"));
            }
        }
        return problems;
    }

    private void refuse(String name, String hash, List<RouteProblem> problems, Loaded previous) {
        refused.put(name, hash);
        failures.increment();
        Loaded running = previous != null ? previous : loaded.get(name);
        String kept = running == null ? "nothing of it was loaded" : "its previous routes " + running.routeIds() + " keep running";
        log.error("ROUTES_DIR {}: refused, {}; every other route keeps running:\n  {}", directory.resolve(name), kept,
                problems.stream().map(RouteProblem::toString).collect(Collectors.joining("\n  ")));
    }

    private void remove(String name) {
        Loaded l = loaded.remove(name);
        if (l != null) {
            removeRoutes(l.routeIds());
            reloads.increment();
            log.info("ROUTES_DIR {}: file removed, route(s) {} stopped and removed", directory.resolve(name), l.routeIds());
        }
    }

    private void removeRoutes(List<String> ids) {
        for (String id : ids) {
            try {
                if (camel.getRoute(id) != null) {
                    camel.getRouteController().stopRoute(id, 20, TimeUnit.SECONDS);
                    camel.removeRoute(id);
                }
            } catch (Exception e) {
                log.error("ROUTES_DIR {}: could not remove route {}: {}", directory, id, e.toString());
            }
        }
    }

    private Set<String> routeIds() {
        return camel.getRoutes().stream().map(Route::getRouteId).collect(Collectors.toCollection(LinkedHashSet::new));
    }

    private List<String> addedSince(Set<String> before) {
        List<String> added = new ArrayList<>();
        for (String id : routeIds()) {
            if (!before.contains(id)) {
                added.add(id);
            }
        }
        return added;
    }

    private static String sha256(String content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
