package shop.platform.routes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The repository's route folders and the bean names a service's sources declare, for checks without the service's classes. */
final class RepositoryRouteFiles {

    static final List<String> SERVICES = List.of("order-service", "inventory-service", "payment-service", "shipping-service");

    private static final Pattern BEAN_METHOD = Pattern.compile(
            "@Bean(?:\\(\\s*(?:name\\s*=\\s*|value\\s*=\\s*)?\\{?\\s*\"([^\"]+)\"[^)]*\\))?(?:\\([^)]*\\))?\\s*(?:@[\\w.]+(?:\\([^)]*\\))?\\s*)*"
                    + "(?:public\\s+|protected\\s+|private\\s+)?(?:static\\s+)?[\\w.<>?,\\s\\[\\]]+?\\s+(\\w+)\\s*\\(");
    private static final Pattern COMPONENT = Pattern.compile(
            "@(?:Component|Service|Repository|Configuration|RestController|Controller)(?:\\(\\s*(?:value\\s*=\\s*)?\"([^\"]+)\"\\s*\\))?"
                    + "[^{;]*?\\b(?:class|record)\\s+(\\w+)");

    private RepositoryRouteFiles() {
    }

    static Path root() {
        Path here = Path.of("").toAbsolutePath();
        for (Path p = here; p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("routes/platform")) && Files.isRegularFile(p.resolve("pom.xml"))) {
                return p;
            }
        }
        throw new IllegalStateException("repository root with routes/ not found above " + here);
    }

    static List<Path> yamlFiles(Path folder) {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(folder)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".yaml")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static RouteFile read(Path file) {
        try {
            return RouteFile.parse(file.toString(), Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Bean names a service's Java sources declare: {@code @Bean} methods (or their names) and stereotype classes. */
    static Set<String> declaredBeans(String service) {
        Set<String> names = new LinkedHashSet<>();
        Path sources = root().resolve(service).resolve("src/main/java");
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                String text = Files.readString(f, StandardCharsets.UTF_8);
                Matcher m = BEAN_METHOD.matcher(text);
                while (m.find()) {
                    names.add(m.group(1) != null ? m.group(1) : m.group(2));
                }
                Matcher c = COMPONENT.matcher(text);
                while (c.find()) {
                    names.add(c.group(1) != null ? c.group(1) : Character.toLowerCase(c.group(2).charAt(0)) + c.group(2).substring(1));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return names;
    }
}
