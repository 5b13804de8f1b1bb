package shop.platform.routes;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The check operators run before deploying route files (bin/validate-routes, docs/integrations.md):
 * <pre>
 * java -cp &lt;service&gt;/target/&lt;service&gt;.jar -Dloader.main=shop.platform.routes.RouteValidator \
 *      org.springframework.boot.loader.launch.PropertiesLauncher &lt;service&gt; [options] &lt;file or folder&gt;...
 * </pre>
 * Each file goes through the same checks as the live reload ({@link RouteChecks}), offline: the YAML DSL
 * schema, then its routes created (never started) in a CamelContext with the service's properties, route
 * configurations and templates and placeholders for its beans ({@link OfflineValidationEnvironment}).
 * Prints every problem as {@code file:line: message}; exits 0 when every file is good, 1 otherwise, 2 on a
 * usage error.
 * <p>
 * Options: {@code --classpath} checks files meant for the jar ({@code routes/<service>/}: route
 * configurations, templates and routes without ids allowed); by default files are checked as ROUTES_DIR
 * files. {@code --bean name[,name]} adds bean names the service has beyond those found in its classes;
 * {@code --property key=value} sets a property as the environment would.
 */
public final class RouteValidator {

    private RouteValidator() {
    }

    public static void main(String[] args) {
        quietLogging();
        int status;
        try {
            status = run(args, System.out, System.err);
        } catch (RuntimeException e) {
            System.err.println("validate-routes: " + e);
            status = 2;
        }
        System.exit(status);
    }

    /** Runs the check; returns the exit status. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length < 2) {
            err.println("usage: validate-routes <service> [--classpath] [--bean name,...] [--property key=value] <file or folder>...");
            return 2;
        }
        String service = args[0];
        RouteChecks.Mode mode = RouteChecks.Mode.ROUTES_DIR;
        OfflineValidationEnvironment.Builder environment = OfflineValidationEnvironment.forService(service);
        List<Path> files = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--classpath" -> mode = RouteChecks.Mode.CLASSPATH;
                case "--routes-dir" -> mode = RouteChecks.Mode.ROUTES_DIR;
                case "--bean" -> environment.beans(List.of(value(args, ++i, a).split(",")));
                case "--property" -> {
                    String kv = value(args, ++i, a);
                    int eq = kv.indexOf('=');
                    if (eq <= 0) {
                        err.println("validate-routes: --property needs key=value, got " + kv);
                        return 2;
                    }
                    environment.property(kv.substring(0, eq), kv.substring(eq + 1));
                }
                default -> {
                    if (a.startsWith("--")) {
                        err.println("validate-routes: unknown option " + a);
                        return 2;
                    }
                    Path p = Path.of(a);
                    if (Files.isDirectory(p)) {
                        try (Stream<Path> list = Files.list(p)) {
                            list.filter(f -> RoutesDirectory.isRouteFile(f.getFileName().toString())).sorted().forEach(files::add);
                        } catch (IOException e) {
                            err.println(a + ":1: cannot list: " + e.getMessage());
                            return 1;
                        }
                    } else {
                        files.add(p);
                    }
                }
            }
        }
        if (files.isEmpty()) {
            err.println("validate-routes: no *.yaml files given");
            return 2;
        }
        RouteChecks checks = new RouteChecks(environment.build());
        int bad = 0;
        for (Path path : files) {
            List<RouteProblem> problems;
            List<String> routes = List.of();
            try {
                RouteChecks.Result result = checks.check(RouteFile.parse(path.toString(), Files.readString(path, StandardCharsets.UTF_8)), mode);
                problems = result.problems();
                routes = result.routeIds();
            } catch (IOException e) {
                problems = List.of(new RouteProblem(path.toString(), 1, "cannot read: " + e.getMessage()));
            }
            if (problems.isEmpty()) {
                out.println("OK " + path + (routes.isEmpty() ? "" : " (routes: " + String.join(", ", routes) + ")"));
            } else {
                bad++;
                problems.forEach(p -> out.println(p));
            }
        }
        out.println(bad == 0 ? files.size() + " route file(s) OK for " + service
                : bad + " of " + files.size() + " route file(s) have errors (" + service + ")");
        return bad == 0 ? 0 : 1;
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    /** Camel's start/stop lines of the throwaway contexts are noise here: warnings and errors only. */
    private static void quietLogging() {
        try {
            Object factory = org.slf4j.LoggerFactory.getILoggerFactory();
            if (factory.getClass().getName().equals("ch.qos.logback.classic.LoggerContext")) {
                Object root = factory.getClass().getMethod("getLogger", String.class).invoke(factory, "ROOT");
                Class<?> level = Class.forName("ch.qos.logback.classic.Level", true, factory.getClass().getClassLoader());
                root.getClass().getMethod("setLevel", level).invoke(root, level.getField("WARN").get(null));
            }
        } catch (ReflectiveOperationException | RuntimeException ignored) {
            // keep the default logging
        }
    }
}
