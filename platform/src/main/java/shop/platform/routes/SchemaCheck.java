package shop.platform.routes;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code bin/validate-routes --offline}: {@link RouteChecks#withoutBuilding} (syntax, contents, denylist, schema; the
 * routes are not built). Prints {@code file:line: message}; exits 0 when every file passes, 1 otherwise.
 */
public final class SchemaCheck {

    private SchemaCheck() {
    }

    public static void main(String[] args) {
        int bad = 0;
        for (String arg : args) {
            List<RouteProblem> problems;
            try {
                problems = RouteChecks.withoutBuilding(RouteFile.parse(arg, Files.readString(Path.of(arg), StandardCharsets.UTF_8)));
            } catch (IOException e) {
                problems = List.of(new RouteProblem(arg, 1, "cannot read: " + e));
            }
            problems.forEach(System.out::println);
            bad += problems.isEmpty() ? 0 : 1;
            if (problems.isEmpty()) {
                System.out.println("OK " + arg + " (offline: syntax, denylist and schema only, routes not built)");
            }
        }
        System.exit(bad == 0 ? 0 : 1);
    }
}
