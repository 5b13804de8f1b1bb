package shop.platform.routes;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every route file under routes/ starts with the YAML language server's modeline naming the YAML DSL schema of
 * the Camel version the services run, so that editors (VS Code's YAML extension, IntelliJ, Kaoto, anything
 * built on yaml-language-server) validate and complete it (docs/integrations.md, Write a route file).
 */
class RouteFileModelineTest {

    static String modeline(String camelVersion) {
        return "# yaml-language-server: $schema=https://raw.githubusercontent.com/apache/camel/camel-" + camelVersion
                + "/dsl/camel-yaml-dsl/camel-yaml-dsl/src/generated/resources/schema/camelYamlDsl.json";
    }

    @Test
    void everyRouteFileNamesTheSchemaOfTheCamelVersionInUseOnItsFirstLine() throws IOException {
        String version;
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            version = camel.getVersion();
        }
        assertThat(version).matches("\\d+\\.\\d+\\.\\d+");
        List<Path> files;
        try (Stream<Path> s = Files.walk(RepositoryRouteFiles.root().resolve("routes"))) {
            files = s.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().toList();
        }
        assertThat(files).hasSizeGreaterThanOrEqualTo(15);
        for (Path f : files) {
            String first = Files.readAllLines(f, StandardCharsets.UTF_8).stream().findFirst().orElse("");
            assertThat(first).as("first line of " + f).isEqualTo(modeline(version));
        }
    }
}
