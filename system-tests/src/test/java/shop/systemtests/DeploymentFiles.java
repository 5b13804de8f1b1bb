package shop.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import javax.xml.parsers.DocumentBuilderFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * What the static checks of the deployment files share (docs/deployment.md, "The checks of the deployment files"):
 * the repository root, YAML/JSON/XML loading, the compose file, the services' facts (ports, databases, the
 * variables CONTRACT.md and the build know) and loose-typed accessors for parsed YAML. The checks themselves are
 * {@link ComposeFilesIT}, {@link RabbitMqFilesIT}, {@link ObservabilityFilesIT}, {@link KubernetesManifestsIT},
 * {@link DeploymentDocsIT} and {@link JvmOptionsIT}; none starts a container.
 *
 * <p>Repository root: system property {@code shop.root} (failsafe sets it), else {@code ..}.
 */
final class DeploymentFiles {

    /**
     * The JVM options of the containers: bin/run's and the benchmark's {@code -Xmx256m -XX:+UseSerialGC
     * -XX:TieredStopAtLevel=1} relative to the 512 Mi limit (ADR 11, docs/performance.md).
     */
    static final String CONTAINER_JVM_OPTIONS = "-XX:MaxRAMPercentage=50 -XX:+UseSerialGC -XX:TieredStopAtLevel=1";

    static final List<String> SERVICES = List.of("order-service", "inventory-service", "payment-service", "shipping-service");
    static final Map<String, Integer> PORTS = Map.of(
            "order-service", 8080, "inventory-service", 8081, "payment-service", 8082, "shipping-service", 8083);
    static final Map<String, String> DATABASES = Map.of(
            "order-service", "orders", "inventory-service", "inventory", "payment-service", "payments", "shipping-service", "shipping");

    /** CONTRACT.md's variables, used when the contract file is not next to the repository. */
    static final Set<String> CONTRACT_ENV_FALLBACK = Set.of(
            "SERVER_PORT", "RABBITMQ_HOST", "RABBITMQ_PORT", "RABBITMQ_USERNAME", "RABBITMQ_PASSWORD", "RABBITMQ_VHOST",
            "POSTGRES_HOST", "POSTGRES_PORT", "POSTGRES_USER", "POSTGRES_PASSWORD", "OTEL_EXPORTER_OTLP_ENDPOINT",
            "AUTH_JWT_SECRET", "OPERATOR_USERNAME", "OPERATOR_PASSWORD", "VIEWER_USERNAME", "VIEWER_PASSWORD",
            "SPRING_PROFILES_ACTIVE", "RESERVATION_TTL", "PAYMENT_PROVIDER", "STRIPE_API_KEY", "STRIPE_API_BASE",
            "SHIPPING_CARRIER_URL", "ROUTES_DIR");
    /**
     * Read by the runtime rather than by the services' own code: the JVM, and the OpenTelemetry SDK's
     * autoconfiguration ("the standard OTEL_* variables", issue 5; CAMEL-NOTES 16).
     */
    static final Set<String> RUNTIME_ENV = Set.of(
            "JAVA_TOOL_OPTIONS", "OTEL_EXPORTER_OTLP_PROTOCOL", "OTEL_SERVICE_NAME", "OTEL_TRACES_EXPORTER",
            "OTEL_METRICS_EXPORTER", "OTEL_LOGS_EXPORTER", "OTEL_JAVA_GLOBAL_AUTOCONFIGURE_ENABLED",
            "OTEL_RESOURCE_ATTRIBUTES", "OTEL_PROPAGATORS");
    /** What every service must be given, in compose and on Kubernetes. */
    static final Set<String> REQUIRED_ENV = Set.of(
            "SERVER_PORT", "RABBITMQ_HOST", "RABBITMQ_PORT", "RABBITMQ_USERNAME", "RABBITMQ_PASSWORD", "RABBITMQ_VHOST",
            "POSTGRES_HOST", "POSTGRES_PORT", "POSTGRES_USER", "POSTGRES_PASSWORD", "AUTH_JWT_SECRET",
            "OPERATOR_USERNAME", "OPERATOR_PASSWORD", "VIEWER_USERNAME", "VIEWER_PASSWORD",
            "OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_PROTOCOL", "OTEL_SERVICE_NAME",
            "SPRING_PROFILES_ACTIVE", "JAVA_TOOL_OPTIONS");
    static final Map<String, Set<String>> REQUIRED_SERVICE_ENV = Map.of(
            "order-service", Set.of(),
            "inventory-service", Set.of("RESERVATION_TTL"),
            "payment-service", Set.of("PAYMENT_PROVIDER", "STRIPE_API_KEY", "STRIPE_API_BASE"),
            "shipping-service", Set.of());

    /** Names that hold a secret: never a literal value. */
    static final Pattern SECRET_NAME = Pattern.compile(".*(PASSWORD|PASS|SECRET|KEY|TOKEN|COOKIE).*");

    private DeploymentFiles() {
    }

    // =================================================================================================
    // the repository, the root pom and the compose file
    // =================================================================================================

    // loaded once per test JVM, on first use
    private static Path root;
    private static Map<String, Object> compose;
    private static Set<String> contractEnv;
    private static Map<String, String> buildEnv;

    static synchronized Path root() {
        if (root == null) {
            Path candidate = Path.of(System.getProperty("shop.root", "..")).toAbsolutePath().normalize();
            assertThat(candidate.resolve("pom.xml")).as("repository root (system property shop.root)").isRegularFile();
            root = candidate;
        }
        return root;
    }

    static Path composeDir() {
        return root().resolve("compose");
    }

    static synchronized Map<String, Object> compose() {
        if (compose == null) {
            compose = map(yaml(composeDir().resolve("docker-compose.yml")));
        }
        return compose;
    }

    static Map<String, Object> services() {
        return map(compose().get("services"));
    }

    static Map<String, Object> service(String name) {
        Map<String, Object> service = map(services().get(name));
        assertThat(service).as("compose service " + name).isNotEmpty();
        return service;
    }

    static boolean isOneShot(Map<String, Object> service) {
        return "no".equals(str(service.get("restart")));
    }

    /** A compose service's environment as a map; list entries "A=b" and "A" (pass-through, null) included. */
    static Map<String, Object> environment(Map<String, Object> service) {
        Object env = service.get("environment");
        Map<String, Object> out = new LinkedHashMap<>();
        if (env instanceof Map<?, ?> m) {
            m.forEach((k, v) -> out.put(str(k), v));
        } else {
            for (String entry : strings(env)) {
                int eq = entry.indexOf('=');
                out.put(eq < 0 ? entry : entry.substring(0, eq), eq < 0 ? null : entry.substring(eq + 1));
            }
        }
        return out;
    }

    /** The variable of "${VAR}", "${VAR:?message}", ... */
    static String variableOf(String reference) {
        Matcher m = Pattern.compile("^\\$\\{([A-Z][A-Z0-9_]*)").matcher(reference);
        assertThat(m.find()).as(reference + " is a ${VAR} reference").isTrue();
        return m.group(1);
    }

    static String rootPomVersion() {
        Element project = rootPom();
        for (Node n = project.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals("version")) {
                return e.getTextContent().trim();
            }
        }
        throw new AssertionError("root pom has no version");
    }

    static Set<String> rootPomModules() {
        Set<String> modules = new LinkedHashSet<>();
        var nodes = rootPom().getElementsByTagName("module");
        for (int i = 0; i < nodes.getLength(); i++) {
            modules.add(nodes.item(i).getTextContent().trim());
        }
        return modules;
    }

    static Element rootPom() {
        try {
            var factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            return factory.newDocumentBuilder().parse(root().resolve("pom.xml").toFile()).getDocumentElement();
        } catch (Exception e) {
            throw new AssertionError("root pom.xml", e);
        }
    }

    // =================================================================================================
    // environment variables: the contract and what the build reads
    // =================================================================================================

    static void assertKnownEnv(String where, Collection<String> names) {
        Set<String> contract = contractEnv();
        Map<String, String> build = envReadByTheBuild();
        Set<String> unknown = new TreeSet<>();
        for (String name : names) {
            if (!contract.contains(name) && !RUNTIME_ENV.contains(name) && !build.containsKey(name)) {
                unknown.add(name);
            }
        }
        assertThat(unknown).as(where + ": variables neither CONTRACT.md names nor a service reads (placeholders in "
                + "src/main/resources and routes/, getenv/getProperty, relaxed binding of a property the sources use)").isEmpty();
    }

    private static synchronized Set<String> contractEnv() {
        if (contractEnv == null) {
            contractEnv = readContractEnv();
        }
        return contractEnv;
    }

    private static Set<String> readContractEnv() {
        Path contract = root().resolve("../shared/CONTRACT.md").normalize();
        if (!Files.exists(contract)) {
            return CONTRACT_ENV_FALLBACK;
        }
        Set<String> names = new TreeSet<>();
        Matcher code = Pattern.compile("`([^`]+)`").matcher(read(contract));
        Pattern variable = Pattern.compile("(?<![A-Za-z0-9_\"'/.-])([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)(?=$|[=\\s])");
        while (code.find()) {
            Matcher m = variable.matcher(code.group(1));
            while (m.find()) {
                names.add(m.group(1));
            }
        }
        assertThat(names).as("variables found in CONTRACT.md").contains("SERVER_PORT", "RABBITMQ_HOST", "AUTH_JWT_SECRET");
        return names;
    }

    /** Environment variable name -> where the build reads it. */
    private static synchronized Map<String, String> envReadByTheBuild() {
        if (buildEnv == null) {
            buildEnv = scanTheBuildForEnv();
        }
        return buildEnv;
    }

    private static Map<String, String> scanTheBuildForEnv() {
        Path root = root();
        Map<String, String> found = new TreeMap<>();
        Pattern placeholder = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)(?::[^}]*)?}|\\{\\{env:([A-Z][A-Z0-9_]*)");
        Pattern javaEnv = Pattern.compile("(?:getenv|getProperty|getRequiredProperty)\\(\\s*\"([A-Z][A-Z0-9_]*)\"");
        Pattern javaProperty = Pattern.compile("\"([a-z][a-z0-9-]*(?:\\.[a-z0-9-]+)+)\"");
        Pattern propertiesKey = Pattern.compile("(?m)^\\s*([a-z][a-z0-9-]*(?:\\.[a-z0-9\\[\\]-]+)+)\\s*[=:]");
        List<Path> sources = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(root)) {
            walk.filter(Files::isRegularFile).filter(p -> {
                String rel = root.relativize(p).toString().replace('\\', '/');
                return !rel.contains("/target/") && !rel.startsWith(".") && !rel.startsWith("system-tests/")
                        && (rel.contains("/src/main/") || rel.startsWith("routes/"))
                        && rel.matches(".*\\.(java|properties|ya?ml)$");
            }).forEach(sources::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (Path source : sources) {
            String text = read(source);
            String where = root.relativize(source).toString();
            Matcher m = placeholder.matcher(text);
            while (m.find()) {
                found.putIfAbsent(m.group(1) != null ? m.group(1) : m.group(2), where);
            }
            Matcher j = javaEnv.matcher(text);
            while (j.find()) {
                found.putIfAbsent(j.group(1), where);
            }
            Matcher p = (source.toString().endsWith(".java") ? javaProperty : propertiesKey).matcher(text);
            while (p.find()) {
                // Spring's relaxed binding: shop.db.create-if-missing <- SHOP_DB_CREATE_IF_MISSING
                found.putIfAbsent(p.group(1).toUpperCase().replaceAll("[.\\-\\[\\]]+", "_").replaceAll("_$", ""), where + " (relaxed binding)");
            }
        }
        return found;
    }

    // =================================================================================================
    // parsing and loose-typed access
    // =================================================================================================

    static Yaml yamlLoader() {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        return new Yaml(new SafeConstructor(options));
    }

    static Object yaml(Path file) {
        return yamlLoader().load(read(file));
    }

    /** Every non-empty document of a multi-document YAML text. */
    static List<Map<String, Object>> yamlAll(String text) {
        List<Map<String, Object>> docs = new ArrayList<>();
        for (Object doc : yamlLoader().loadAll(text)) {
            if (doc != null) {
                docs.add(map(doc));
            }
        }
        return docs;
    }

    static JsonNode json(Path file) {
        try {
            return new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(file.toString(), e);
        }
    }

    static String read(Path file) {
        assertThat(file).isRegularFile();
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Map<String, Object> meta(Map<String, Object> o) {
        Object metadata = o.get("metadata");
        if (metadata == null) {
            metadata = new LinkedHashMap<String, Object>();
            o.put("metadata", metadata);
        }
        return map(metadata);
    }

    static Map<String, JsonNode> byName(JsonNode array) {
        Map<String, JsonNode> out = new TreeMap<>();
        array.forEach(n -> assertThat(out.put(n.path("name").asText(), n)).as("duplicate " + n.path("name")).isNull());
        return out;
    }

    static Map<String, String> jsonMap(JsonNode node) {
        Map<String, String> out = new TreeMap<>();
        node.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o) {
        if (o == null) {
            return new LinkedHashMap<>();
        }
        assertThat(o).isInstanceOf(Map.class);
        return (Map<String, Object>) o;
    }

    static Map<String, String> stringMap(Object o) {
        Map<String, String> out = new TreeMap<>();
        map(o).forEach((k, v) -> out.put(k, str(v)));
        return out;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object o) {
        if (o == null) {
            return List.of();
        }
        assertThat(o).isInstanceOf(List.class);
        return (List<Object>) o;
    }

    static List<String> strings(Object o) {
        if (o instanceof String s) {
            return List.of(s);
        }
        return list(o).stream().map(DeploymentFiles::str).toList();
    }

    static String str(Object o) {
        return o == null ? null : String.valueOf(o);
    }
}
