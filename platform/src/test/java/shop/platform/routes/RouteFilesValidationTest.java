package shop.platform.routes;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every route file of the repository passes the validator operators run (bin/validate-routes): the jar's
 * files (routes/platform, its templates, routes/&lt;service&gt;) as classpath files, the worked examples in
 * routes/integrations as ROUTES_DIR files. The services' classes are not on this module's classpath: their
 * bean names come from their sources, their classes are stood in for.
 */
class RouteFilesValidationTest {

    private static final Path ROUTES = RepositoryRouteFiles.root().resolve("routes");

    @TestFactory
    Stream<DynamicTest> platformFilesAndTemplates() {
        RouteChecks checks = new RouteChecks(OfflineValidationEnvironment.forService("order-service").build());
        List<Path> files = new ArrayList<>(RepositoryRouteFiles.yamlFiles(ROUTES.resolve("platform")));
        files.addAll(RepositoryRouteFiles.yamlFiles(ROUTES.resolve("platform/templates")));
        assertThat(files).hasSizeGreaterThanOrEqualTo(5);
        return files.stream().map(f -> DynamicTest.dynamicTest(ROUTES.relativize(f).toString(),
                () -> assertPasses(checks, f, RouteChecks.Mode.CLASSPATH)));
    }

    @TestFactory
    Stream<DynamicTest> serviceFiles() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String service : RepositoryRouteFiles.SERVICES) {
            List<Path> files = RepositoryRouteFiles.yamlFiles(ROUTES.resolve(service));
            OfflineValidationEnvironment.Builder env = OfflineValidationEnvironment.forService(service)
                    .beans(RepositoryRouteFiles.declaredBeans(service))
                    .propertiesFile(RepositoryRouteFiles.root().resolve(service).resolve("src/main/resources/application.properties"))
                    .stubClasses("shop." + service.replace("-service", "") + ".");
            files.forEach(f -> env.supportFile(RepositoryRouteFiles.read(f)));
            RouteChecks checks = new RouteChecks(env.build());
            for (Path f : files) {
                tests.add(DynamicTest.dynamicTest(ROUTES.relativize(f).toString(), () -> assertPasses(checks, f, RouteChecks.Mode.CLASSPATH)));
            }
        }
        assertThat(tests).isNotEmpty();
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> workedExamplesAsRoutesDirFiles() {
        List<Path> files = RepositoryRouteFiles.yamlFiles(ROUTES.resolve("integrations"));
        assertThat(files).extracting(p -> p.getFileName().toString())
                .contains("customer-notifications.yaml", "partner-shipment-webhook.yaml");
        List<DynamicTest> tests = new ArrayList<>();
        for (String service : List.of("order-service", "shipping-service")) {
            RouteChecks checks = new RouteChecks(OfflineValidationEnvironment.forService(service).build());
            for (Path f : files) {
                tests.add(DynamicTest.dynamicTest(service + ": " + ROUTES.relativize(f), () -> assertPasses(checks, f, RouteChecks.Mode.ROUTES_DIR)));
            }
        }
        return tests.stream();
    }

    private static void assertPasses(RouteChecks checks, Path file, RouteChecks.Mode mode) {
        RouteFile routeFile = RepositoryRouteFiles.read(file);
        RouteChecks.Result result = checks.check(routeFile, mode);
        assertThat(result.problems()).as(file + " should pass the validator").isEmpty();
        long routes = routeFile.items().stream().filter(i -> i.kind().equals("route") || i.kind().equals("templatedRoute")).count();
        assertThat(result.routeIds()).as("routes created from " + file).hasSize((int) routes);
    }
}
