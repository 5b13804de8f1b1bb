package shop.platform.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The route folders the deployments mount as ROUTES_DIR (issue 16): compose binds {@code compose/routes/<service>/},
 * Kubernetes generates ConfigMap {@code <service>-routes} from the same files (compose/routes/kustomization.yaml;
 * the rendering is checked by system-tests' IntegrationRouteFoldersIT). Every route file there passes the checks
 * that need no service (the watcher's full check runs against the services: see below); its route ids do not clash
 * with the service's own; the worked examples are there, and only there: routes/integrations links to them, no copy.
 */
class MountedRouteFoldersTest {

    private static final Path ROOT = RepositoryRouteFiles.root();
    private static final Path FOLDERS = ROOT.resolve("compose/routes");

    /** The worked examples (docs/integrations.md) and the folder each ships in. */
    private static final Map<String, String> EXAMPLES = Map.of(
            "customer-notifications.yaml", "order-service",
            "partner-shipment-webhook.yaml", "shipping-service");
    @Test
    void everyServiceHasAFolderAndTheWorkedExamplesShipInTheirs() {
        for (String service : RepositoryRouteFiles.SERVICES) {
            assertThat(FOLDERS.resolve(service)).as("route folder of " + service).isDirectory();
        }
        EXAMPLES.forEach((file, service) -> assertThat(FOLDERS.resolve(service).resolve(file))
                .as(file + " in the " + service + " folder").isRegularFile());
    }

    @Test
    void eachExampleHasOneSource() throws IOException {
        // routes/integrations/<example> is the file in the route folder itself (a link), not a second copy
        for (Path f : RepositoryRouteFiles.yamlFiles(ROOT.resolve("routes/integrations"))) {
            String name = f.getFileName().toString();
            assertThat(EXAMPLES).as("routes/integrations/" + name + " is a worked example of a route folder").containsKey(name);
            assertThat(Files.isSameFile(f, FOLDERS.resolve(EXAMPLES.get(name)).resolve(name))).as(f + " is the folder's file").isTrue();
        }
        assertThat(RepositoryRouteFiles.yamlFiles(ROOT.resolve("routes/integrations"))).hasSameSizeAs(EXAMPLES.keySet());
        // and no route file of any folder is a copy of another one
        Map<String, Path> byContent = new HashMap<>();
        for (Path f : routeFilesOfAllFolders()) {
            Path other = byContent.putIfAbsent(Files.readString(f, StandardCharsets.UTF_8), f);
            assertThat(other).as(f + " is a copy of " + other).isNull();
        }
    }

    /**
     * What can be told without the service: syntax, ROUTES_DIR contents, denylist, schema; and no route id of the
     * service's jar. The full check - the routes built on the service's real beans - runs against the running
     * services: RouteCheckEndpointTest (shipping-service, webhook on) and RoutesDirectoryIT (bin/validate-routes on
     * every folder against the system's services, webhooks off, and the order folder with its webhook on).
     */
    @TestFactory
    Stream<DynamicTest> everyFileInAFolderPassesTheChecksThatNeedNoServiceAndKeepsOffTheJarsRouteIds() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String service : RepositoryRouteFiles.SERVICES) {
            Set<String> ownRouteIds = ownRouteIds(service);
            for (Path f : routeFiles(service)) {
                tests.add(DynamicTest.dynamicTest(service + ": " + f.getFileName(), () -> {
                    RouteFile routeFile = RepositoryRouteFiles.read(f);
                    assertThat(RouteChecks.withoutBuilding(routeFile)).as(f + " should pass").isEmpty();
                    assertThat(routeFile.items()).extracting(RouteFile.Item::id).as(f + ": route ids the service itself has")
                            .doesNotContainAnyElementsOf(ownRouteIds);
                }));
            }
        }
        assertThat(tests).hasSizeGreaterThanOrEqualTo(EXAMPLES.size());
        return tests.stream();
    }

    /** What the watcher loads from a service's folder (its README and anything not *.yaml are ignored). */
    private static List<Path> routeFiles(String service) {
        try (Stream<Path> s = Files.list(FOLDERS.resolve(service))) {
            return s.filter(p -> RoutesDirectory.isRouteFile(p.getFileName().toString())).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Path> routeFilesOfAllFolders() {
        List<Path> all = new ArrayList<>();
        RepositoryRouteFiles.SERVICES.forEach(s -> all.addAll(routeFiles(s)));
        return all;
    }

    /** Route ids of the service's jar: routes/platform and routes/&lt;service&gt;. */
    private static Set<String> ownRouteIds(String service) {
        Set<String> ids = new TreeSet<>();
        for (String folder : List.of("platform", service)) {
            for (Path f : RepositoryRouteFiles.yamlFiles(ROOT.resolve("routes").resolve(folder))) {
                RepositoryRouteFiles.read(f).items().stream().filter(i -> i.id() != null).forEach(i -> ids.add(i.id()));
            }
        }
        assertThat(ids).as(service + " route ids").isNotEmpty();
        return ids;
    }
}
