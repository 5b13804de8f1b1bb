package shop.platform.routes;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
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
 * {@code ROUTES_DIR} (CONTRACT.md, Route DSL): every {@code *.yaml} there is loaded when the service starts, then the
 * folder is polled every {@code shop.routes.poll-interval-ms}: a file added, changed or removed takes effect without a
 * restart. A changed file is checked first ({@link RouteChecks}); only one that passes is swapped in (the routes of
 * its previous version stopped and removed, the new ones added and started; should that still fail, the previous
 * version is put back). A refused file is logged with {@code file:line: reason}, counted
 * ({@code shop_routes_reload_failures_total}) and changes nothing. Hidden, backup and temporary files are ignored, so
 * writing elsewhere and renaming in deploys atomically. Camel's own route reload is not used: it removes a route
 * before it knows the new version can be created (CAMEL-NOTES, YAML DSL).
 */
public class RoutesDirectory implements CamelContextConfiguration {

    private static final Logger log = LoggerFactory.getLogger(RoutesDirectory.class);

    /** What one file put into the CamelContext. */
    private record Loaded(String content, List<String> routeIds) {
    }

    private final CamelContext camel;
    private final Path directory;
    private final long pollIntervalMs;
    private final RouteChecks checks;
    private final Counter failures;
    private final Counter reloads;
    private final Map<String, Loaded> loaded = new TreeMap<>();
    /** The content of each refused file, and its problems: refused once, not again until it changes. */
    private final Map<String, String> refused = new HashMap<>();
    private final Map<String, List<RouteProblem>> refusals = new HashMap<>();
    private ScheduledExecutorService poller;
    private boolean missingReported;

    public RoutesDirectory(CamelContext camel, Path directory, long pollIntervalMs, MeterRegistry meters) {
        this.camel = camel;
        this.directory = directory.toAbsolutePath().normalize();
        this.pollIntervalMs = Math.max(100, pollIntervalMs);
        this.checks = new RouteChecks(camel);
        this.failures = Counter.builder("shop.routes.reload.failures")
                .description("route files in ROUTES_DIR refused (broken or clashing); the routes running before keep running")
                .register(meters);
        this.reloads = Counter.builder("shop.routes.reloads")
                .description("route files in ROUTES_DIR loaded, replaced or removed").register(meters);
        Gauge.builder("shop.routes.files", loaded, Map::size).description("route files from ROUTES_DIR in effect").register(meters);
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
        poller = camel.getExecutorServiceManager().newSingleThreadScheduledExecutor(this, "routes-dir");
        poller.scheduleWithFixedDelay(() -> {
            try {
                scan();
            } catch (RuntimeException | Error e) {
                log.error("ROUTES_DIR {}: scan failed, will try again: {}", directory, e.toString(), e);
            }
        }, pollIntervalMs, pollIntervalMs, TimeUnit.MILLISECONDS);
    }

    public void stop() {
        if (poller != null) {
            poller.shutdownNow();
        }
    }

    /** One pass over the folder: removals first, then additions and changes in file-name order. */
    private synchronized void scan() {
        if (!camel.isStarted() || camel.isStopping()) {
            return;
        }
        Map<String, Path> files = listFiles();
        for (String name : new ArrayList<>(loaded.keySet())) {
            Loaded gone = files.containsKey(name) ? null : loaded.remove(name);
            if (gone != null) {
                removeRoutes(gone.routeIds());
                reloads.increment();
                log.info("ROUTES_DIR {}: file removed, route(s) {} stopped and removed", directory.resolve(name), gone.routeIds());
            }
        }
        refused.keySet().retainAll(files.keySet());
        refusals.keySet().retainAll(files.keySet());
        files.forEach((name, path) -> {
            String content;
            try {
                content = Files.readString(path, StandardCharsets.UTF_8);
            } catch (IOException e) {
                return; // vanished or unreadable right now: next pass
            }
            Loaded current = loaded.get(name);
            if ((current == null || !current.content().equals(content)) && !content.equals(refused.get(name))) {
                apply(name, path, content, current);
            }
        });
    }

    /** Route ids a file put into the service, by file name. */
    public synchronized Map<String, List<String>> routesByFile() {
        Map<String, List<String>> out = new TreeMap<>();
        loaded.forEach((name, l) -> out.put(name, l.routeIds()));
        return out;
    }

    /** The problems of the files refused, by file name, as the log reported them. */
    public synchronized Map<String, List<RouteProblem>> refusals() {
        return Map.copyOf(refusals);
    }

    private Map<String, Path> listFiles() {
        Map<String, Path> files = new TreeMap<>();
        if (!Files.isDirectory(directory)) {
            if (!missingReported) {
                log.warn("ROUTES_DIR {} does not exist (yet): no route files loaded from it", directory);
            }
            missingReported = true;
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

    /** The check before {@code file} replaces what {@code name} holds now; nothing loaded ({@code POST /admin/routes/check}). */
    public synchronized RouteChecks.Result check(RouteFile file, String name) {
        Loaded own = loaded.get(name);
        Map<String, String> others = new HashMap<>();
        loaded.forEach((other, l) -> l.routeIds().stream().filter(id -> !other.equals(name))
                .forEach(id -> others.put(id, directory.resolve(other).toString())));
        return checks.check(file, own == null ? Set.of() : Set.copyOf(own.routeIds()), others);
    }

    private void apply(String name, Path path, String content, Loaded previous) {
        RouteFile file = RouteFile.parse(path.toString(), content);
        List<RouteProblem> problems = check(file, name).problems();
        if (!problems.isEmpty()) {
            refuse(name, content, problems);
            return;
        }
        List<String> old = previous == null ? List.of() : previous.routeIds();
        removeRoutes(old);
        Set<String> others = camel.getRoutes().stream().map(Route::getRouteId).collect(Collectors.toSet());
        try {
            PluginHelper.getRoutesLoader(camel).loadRoutes(RouteChecks.resource(path.toString(), content));
            List<String> added = addedSince(others);
            for (String id : added) { // a route controller may leave a route that failed to start stopped, without an exception
                ServiceStatus status = camel.getRouteController().getRouteStatus(id);
                if (camel.getRoute(id).isAutoStartup() && !status.isStarted()) {
                    throw new IllegalStateException("route " + id + " did not start (" + status + ")");
                }
            }
            loaded.put(name, new Loaded(content, added));
            refused.remove(name);
            refusals.remove(name);
            reloads.increment();
            log.info("ROUTES_DIR {}: {} route(s) {}{}", path, previous == null ? "loaded" : "replaced with", added,
                    previous == null ? "" : " (were " + old + ")");
        } catch (Exception e) {
            removeRoutes(addedSince(others));
            loaded.remove(name);
            String restored = null;
            if (previous != null) {
                try {
                    PluginHelper.getRoutesLoader(camel).loadRoutes(RouteChecks.resource(path.toString(), previous.content()));
                    loaded.put(name, new Loaded(previous.content(), addedSince(others)));
                    restored = "the previous version is running again";
                } catch (Exception again) {
                    restored = "the previous version could not be restored either: " + RouteChecks.describe(again);
                }
            }
            refuse(name, content, List.of(RouteChecks.problemOf(file, e, null)));
            if (restored != null) {
                log.warn("ROUTES_DIR {}: {}", path, restored);
            }
        }
    }

    private void refuse(String name, String content, List<RouteProblem> problems) {
        refused.put(name, content);
        refusals.put(name, List.copyOf(problems));
        failures.increment();
        Loaded running = loaded.get(name);
        String kept = running == null ? "nothing of it was loaded" : "its previous routes " + running.routeIds() + " keep running";
        log.error("ROUTES_DIR {}: refused, {}; every other route keeps running:\n  {}", directory.resolve(name), kept,
                problems.stream().map(RouteProblem::toString).collect(Collectors.joining("\n  ")));
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

    private List<String> addedSince(Set<String> before) {
        return camel.getRoutes().stream().map(Route::getRouteId).filter(id -> !before.contains(id)).toList();
    }
}
