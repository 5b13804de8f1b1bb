package shop.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import javax.xml.parsers.DocumentBuilderFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Static checks of the deployment files (issue 7; docs/deployment.md): nothing here starts a container,
 * this machine has no container engine. Parses every compose file, Kubernetes manifest, RabbitMQ,
 * Prometheus and Grafana file and checks that they hold together - with each other, with CONTRACT.md
 * (environment variables, ports, probes) and with the build (modules, version, the variables the
 * services read). The kustomize overlays are rendered by a small resolver below (resources, namespace,
 * strategic-merge patches, replicas); when {@code kubectl} is on the PATH its {@code kubectl kustomize}
 * output must equal the resolver's.
 *
 * <p>Repository root: system property {@code shop.root} (failsafe sets it), else {@code ..}.
 */
class DeploymentFilesIT {

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
    /** The seed article's replica counts (production). */
    static final Map<String, Integer> SEED_REPLICAS = Map.of(
            "order-service", 3, "inventory-service", 2, "payment-service", 2, "shipping-service", 2);

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

    /** Metric names the dashboards may query (CONTRACT.md "Metrics", issue 5) and families of them. */
    static final Set<String> ALLOWED_METRICS = Set.of(
            "shop_orders_total", "shop_saga_duration_seconds_bucket", "resilience4j_circuitbreaker_state",
            "shop_dlq_messages", "shop_outbox_backlog", "shop_inbox_duplicates_total",
            "camel_exchanges_total", "camel_exchanges_failed_total", "jvm_memory_used_bytes");
    static final List<String> ALLOWED_METRIC_PREFIXES = List.of("camel_", "jvm_", "process_", "http_server_requests_");

    static Path root;
    static Path composeDir;
    static Map<String, Object> compose;
    static String version;
    static Set<String> contractEnv;
    static Map<String, String> buildEnv;

    @BeforeAll
    static void load() throws Exception {
        root = Path.of(System.getProperty("shop.root", "..")).toAbsolutePath().normalize();
        composeDir = root.resolve("compose");
        assertThat(root.resolve("pom.xml")).as("repository root (system property shop.root)").isRegularFile();
        compose = map(yaml(composeDir.resolve("docker-compose.yml")));
        version = rootPomVersion();
        contractEnv = contractEnv();
        buildEnv = envReadByTheBuild();
    }

    // =================================================================================================
    // compose
    // =================================================================================================

    @Nested
    class Compose {

        @Test
        void definesTheFullStack() {
            assertThat(services().keySet()).contains("rabbitmq", "postgres", "jaeger", "prometheus", "grafana")
                    .containsAll(SERVICES);
            // every compose file in compose/ parses (an override file, if someone adds one, too)
            try (Stream<Path> files = Files.list(composeDir)) {
                files.filter(p -> p.getFileName().toString().matches(".*(compose|docker-compose).*\\.ya?ml"))
                        .forEach(p -> assertThat(yaml(p)).as(p.toString()).isInstanceOf(Map.class));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Test
        void imagesArePinnedAndTheServiceImagesAreTheOnesTheBuildProduces() {
            Set<String> modules = rootPomModules();
            services().forEach((name, def) -> {
                String image = str(map(def).get("image"));
                assertThat(image).as(name + " image").isNotBlank().contains(":").doesNotEndWith(":latest");
            });
            for (String service : SERVICES) {
                assertThat(modules).as("modules of the root pom").contains(service);
                assertThat(str(service(service).get("image"))).as(service + " image (Jib: shop/<artifactId>:<version>)")
                        .isEqualTo("shop/" + service + ":" + version);
            }
        }

        @Test
        void everyLongRunningContainerHasAHealthCheckAndTheServicesCheckReady() {
            services().forEach((name, def) -> {
                Map<String, Object> service = map(def);
                if (isOneShot(service)) {
                    return;
                }
                Object test = map(service.get("healthcheck")).get("test");
                assertThat(test).as(name + " healthcheck.test").isNotNull();
                assertThat(String.join(" ", strings(test))).as(name + " healthcheck").isNotBlank();
            });
            for (String service : SERVICES) {
                String check = String.join(" ", strings(map(service(service).get("healthcheck")).get("test")));
                assertThat(check).as(service + " health check: GET /ready on its own SERVER_PORT")
                        .contains("/ready").contains("SERVER_PORT").contains(" 200");
                assertThat(str(service(service).get("stop_grace_period"))).as(service + " stop_grace_period (graceful shutdown)")
                        .matches("\\d+s").satisfies(s -> assertThat(Integer.parseInt(s.replace("s", ""))).isGreaterThanOrEqualTo(30));
            }
        }

        @Test
        void dependenciesWaitForHealthOrCompletion() {
            Map<String, Object> services = services();
            services.forEach((name, def) -> {
                Object dependsOn = map(def).get("depends_on");
                if (dependsOn == null) {
                    return;
                }
                assertThat(dependsOn).as(name + " depends_on must be the long form with a condition").isInstanceOf(Map.class);
                map(dependsOn).forEach((dependency, spec) -> {
                    assertThat(services).as(name + " depends on " + dependency).containsKey(dependency);
                    String condition = str(map(spec).get("condition"));
                    Map<String, Object> target = map(services.get(dependency));
                    switch (condition) {
                        case "service_healthy" -> assertThat(target.get("healthcheck"))
                                .as(name + " waits for " + dependency + " to be healthy, which needs a healthcheck").isNotNull();
                        case "service_completed_successfully" -> assertThat(isOneShot(target))
                                .as(dependency + " must be a one-shot (restart: \"no\")").isTrue();
                        case "service_started" -> { }
                        default -> fail(name + " -> " + dependency + ": unknown condition " + condition);
                    }
                });
            });
            for (String service : SERVICES) {
                Map<String, Object> deps = map(service(service).get("depends_on"));
                assertThat(str(map(deps.get("postgres")).get("condition"))).as(service + " -> postgres").isEqualTo("service_healthy");
                assertThat(str(map(deps.get("rabbitmq")).get("condition"))).as(service + " -> rabbitmq").isEqualTo("service_healthy");
            }
        }

        @Test
        void serviceEnvironmentIsTheContractsAndMatchesPortsAndDatabases() {
            for (String service : SERVICES) {
                Map<String, Object> env = environment(service(service));
                assertKnownEnv("compose " + service, env.keySet());
                Set<String> required = new TreeSet<>(REQUIRED_ENV);
                required.addAll(REQUIRED_SERVICE_ENV.get(service));
                assertThat(env.keySet()).as("compose " + service + " environment").containsAll(required);
                assertThat(str(env.get("SERVER_PORT"))).as(service + " SERVER_PORT").isEqualTo(String.valueOf(PORTS.get(service)));
                assertThat(str(env.get("OTEL_SERVICE_NAME"))).isEqualTo(service);
                assertThat(str(env.get("OTEL_EXPORTER_OTLP_PROTOCOL"))).isEqualTo("http/protobuf");
                assertThat(str(env.get("OTEL_EXPORTER_OTLP_ENDPOINT"))).isEqualTo("http://jaeger:4318");
                assertThat(str(env.get("SPRING_PROFILES_ACTIVE"))).isEqualTo("prod");
                assertThat(str(env.get("JAVA_TOOL_OPTIONS"))).contains(CONTAINER_JVM_OPTIONS);
                assertThat(str(env.get("RABBITMQ_HOST"))).isEqualTo("rabbitmq");
                assertThat(str(env.get("POSTGRES_HOST"))).isEqualTo("postgres");
                assertThat(str(env.get("POSTGRES_USER"))).as(service + " uses its own database user").isEqualTo(DATABASES.get(service));
                // the service's published port is its SERVER_PORT, on the loopback interface only
                List<String> ports = strings(service(service).get("ports"));
                assertThat(ports).as(service + " ports").containsExactly("127.0.0.1:" + PORTS.get(service) + ":" + PORTS.get(service));
            }
        }

        @Test
        void noLiteralSecrets() {
            Pattern reference = Pattern.compile("\\$\\{[A-Z][A-Z0-9_]*(\\?[^}]*|:\\?[^}]*)?}");
            services().forEach((name, def) -> environment(map(def)).forEach((key, value) -> {
                if (SECRET_NAME.matcher(key).matches()) {
                    assertThat(value == null || reference.matcher(str(value)).matches())
                            .as(name + ": " + key + " must be ${VAR} or ${VAR:?message} from .env (no literal, no default), was " + value)
                            .isTrue();
                }
            }));
            // the scrape credentials reach Prometheus as files made from .env variables, not from a committed file
            map(compose.get("secrets")).forEach((name, def) ->
                    assertThat(map(def)).as("compose secret " + name).containsKey("environment"));
        }

        @Test
        void secretsOfADatabaseAreSharedOnlyByItsServiceAndThePostgresInit() {
            Map<String, Object> postgresEnv = environment(service("postgres"));
            String init = read(composeDir.resolve("postgres/init.sh"));
            Matcher m = Pattern.compile("(?m)^create_service_database\\s+(\\w+)\\s+(\\w+)\\s*$").matcher(init);
            Map<String, String> created = new TreeMap<>();
            while (m.find()) {
                created.put(m.group(1), m.group(2));
            }
            assertThat(created.keySet()).as("databases init.sh creates").containsExactlyInAnyOrderElementsOf(DATABASES.values());
            for (String service : SERVICES) {
                String db = DATABASES.get(service);
                String passwordVar = created.get(db);
                assertThat(postgresEnv).as("postgres container gets " + passwordVar).containsKey(passwordVar);
                assertThat(variableOf(str(postgresEnv.get(passwordVar)))).isEqualTo(passwordVar);
                assertThat(variableOf(str(environment(service(service)).get("POSTGRES_PASSWORD"))))
                        .as(service + " POSTGRES_PASSWORD is the password init.sh gives user " + db).isEqualTo(passwordVar);
                Path props = root.resolve(service).resolve("src/main/resources/application.properties");
                if (Files.exists(props)) {
                    Matcher name = Pattern.compile("(?m)^shop\\.db\\.name\\s*=\\s*(\\S+)").matcher(read(props));
                    if (name.find()) {
                        assertThat(name.group(1)).as(service + " shop.db.name").isEqualTo(db);
                    }
                }
            }
            assertThat(Files.isExecutable(composeDir.resolve("postgres/init.sh"))).as("init.sh executable").isTrue();
        }

        @Test
        void everyMountedFileExists() {
            services().forEach((name, def) -> {
                for (Object volume : list(map(def).get("volumes"))) {
                    String source = volume instanceof Map<?, ?> v ? str(v.get("source")) : str(volume).split(":")[0];
                    if (source.startsWith(".") || source.startsWith("/")) {
                        assertThat(composeDir.resolve(source).normalize()).as(name + " mounts " + source).exists();
                    } else {
                        assertThat(map(compose.get("volumes"))).as(name + " named volume " + source).containsKey(source);
                    }
                }
                for (Object secret : list(map(def).get("secrets"))) {
                    String secretName = secret instanceof Map<?, ?> s ? str(s.get("source")) : str(secret);
                    assertThat(map(compose.get("secrets"))).as(name + " secret " + secretName).containsKey(secretName);
                }
            });
        }

        @Test
        void envExampleDefinesEveryVariableWithoutSecretsAndEnvIsIgnored() {
            String example = read(composeDir.resolve(".env.example"));
            Map<String, String> defined = new LinkedHashMap<>();
            Set<String> mentioned = new TreeSet<>();
            for (String line : example.split("\n")) {
                Matcher m = Pattern.compile("^(#)?([A-Z][A-Z0-9_]*)=(.*)$").matcher(line.trim());
                if (m.matches()) {
                    mentioned.add(m.group(2));
                    if (m.group(1) == null) {
                        defined.put(m.group(2), m.group(3));
                    }
                }
            }
            String text = read(composeDir.resolve("docker-compose.yml")).replaceAll("(?m)^\\s*#.*$", "");
            Matcher ref = Pattern.compile("(?<!\\$)\\$\\{([A-Z][A-Z0-9_]*)(:?[-?][^}]*)?}").matcher(text);
            while (ref.find()) {
                boolean hasDefault = ref.group(2) != null && ref.group(2).contains("-");
                if (!hasDefault) {
                    assertThat(defined).as(".env.example must define " + ref.group(1)).containsKey(ref.group(1));
                }
            }
            // pass-through variables (no value in compose) and secret sources are at least documented
            services().forEach((name, def) -> environment(map(def)).forEach((key, value) -> {
                if (value == null) {
                    assertThat(mentioned).as(".env.example mentions optional " + key).contains(key);
                }
            }));
            map(compose.get("secrets")).values().forEach(def ->
                    assertThat(defined).containsKey(str(map(def).get("environment"))));
            defined.forEach((key, value) -> {
                if (SECRET_NAME.matcher(key).matches()) {
                    assertThat(value).as(".env.example is committed: " + key + " stays empty").isEmpty();
                }
            });
            List<String> ignored = read(root.resolve(".gitignore")).lines().map(String::trim).toList();
            assertThat(ignored).as(".gitignore keeps compose/.env out of git").containsAnyOf(".env", "compose/.env", "/compose/.env");
            assertThat(composeDir.resolve("init-env.sh")).exists();
        }
    }

    // =================================================================================================
    // RabbitMQ
    // =================================================================================================

    @Nested
    class RabbitMq {

        final JsonNode definitions = json(root.resolve("config/rabbitmq/definitions.json"));

        @Test
        void definitionsHoldTopologyOnlyNoUsersOrPasswords() {
            assertThat(definitions.path("users").size()).as("users in definitions.json").isZero();
            assertThat(definitions.path("permissions").size()).as("permissions in definitions.json").isZero();
            assertThat(read(root.resolve("config/rabbitmq/definitions.json"))).doesNotContainIgnoringCase("password");
            List<String> vhosts = new ArrayList<>();
            definitions.path("vhosts").forEach(v -> vhosts.add(v.path("name").asText()));
            assertThat(vhosts).containsExactly("shop");
            for (String section : List.of("exchanges", "queues", "bindings")) {
                definitions.path(section).forEach(o -> assertThat(o.path("vhost").asText()).as(section + " vhost").isEqualTo("shop"));
            }
            // the vhost the broker seeds and the services use
            assertThat(str(environment(service("rabbitmq")).get("RABBITMQ_DEFAULT_VHOST"))).isEqualTo("shop");
            for (String service : SERVICES) {
                assertThat(str(environment(service(service)).get("RABBITMQ_VHOST"))).isEqualTo("shop");
            }
        }

        @Test
        void exchangesAreTheSharedTopology() {
            Map<String, JsonNode> exchanges = byName(definitions.path("exchanges"));
            assertThat(exchanges.keySet()).containsExactlyInAnyOrder("shop.events", "shop.commands", "shop.dlx", "shop.unroutable");
            assertThat(exchanges.get("shop.events").path("type").asText()).isEqualTo("topic");
            // plain, as a route file declares it: the alternate exchange is policy shop-events
            exchanges.forEach((name, e) -> assertThat(jsonMap(e.path("arguments"))).as(name + " arguments").isEmpty());
            assertThat(exchanges.get("shop.commands").path("type").asText()).isEqualTo("direct");
            assertThat(exchanges.get("shop.dlx").path("type").asText()).isEqualTo("direct");
            assertThat(exchanges.get("shop.unroutable").path("type").asText()).isEqualTo("fanout");
            exchanges.forEach((name, e) -> {
                assertThat(e.path("durable").asBoolean()).as(name + " durable").isTrue();
                assertThat(e.path("auto_delete").asBoolean()).as(name + " auto_delete").isFalse();
            });
        }

        @Test
        void queuesAndBindingsAreThoseOfDocsMessaging() {
            Map<String, Map.Entry<String, List<String>>> expected = messagingQueues();
            Map<String, JsonNode> queues = byName(definitions.path("queues"));
            Set<String> bindings = new TreeSet<>();
            definitions.path("bindings").forEach(b -> bindings.add(
                    b.path("source").asText() + " -[" + b.path("routing_key").asText() + "]-> " + b.path("destination").asText()));

            Set<String> expectedQueues = new TreeSet<>(Set.of("shop.unroutable", "shop.dead-letters"));
            Set<String> expectedBindings = new TreeSet<>(Set.of("shop.unroutable -[]-> shop.unroutable",
                    "shop.dlx -[shop.dead-letters]-> shop.dead-letters"));
            expected.forEach((queue, binding) -> {
                expectedQueues.add(queue);
                expectedQueues.add(queue + ".dlq");
                expectedBindings.add("shop.dlx -[" + queue + "]-> " + queue + ".dlq");
                binding.getValue().forEach(key -> expectedBindings.add(binding.getKey() + " -[" + key + "]-> " + queue));
                // its dead letters, by policy: to shop.dlx with its own name (one policy per queue of docs/messaging.md)
                assertThat(policyFor(queue).path("definition").path("dead-letter-exchange").asText()).as(queue).isEqualTo("shop.dlx");
                assertThat(policyFor(queue).path("definition").path("dead-letter-routing-key").asText()).as(queue).isEqualTo(queue);
                // a command's dead letters are parked (bounded, nobody replays them); an event's are kept
                JsonNode dlqPolicy = policyFor(queue + ".dlq");
                if (binding.getKey().equals("shop.commands")) {
                    assertThat(jsonMap(dlqPolicy.path("definition"))).as(queue + ".dlq").isEqualTo(PARKING_QUEUE);
                } else {
                    assertThat(dlqPolicy.isMissingNode()).as(queue + ".dlq has no policy: unbounded").isTrue();
                }
            });
            assertThat(jsonMap(policyFor("shop.unroutable").path("definition"))).as("shop.unroutable").isEqualTo(PARKING_QUEUE);
            // exactly what QueueDeclarations declares for a classic queue - plain - so that every declaration is
            // equivalent (no x-queue-type: compose runs RABBITMQ_QUEUE_TYPE=classic)
            queues.forEach((name, q) -> assertThat(jsonMap(q.path("arguments"))).as(name + " arguments").isEmpty());
            assertThat(queues.keySet()).containsExactlyInAnyOrderElementsOf(expectedQueues);
            assertThat(bindings).containsExactlyInAnyOrderElementsOf(expectedBindings);
            queues.forEach((name, q) -> {
                assertThat(q.path("durable").asBoolean()).as(name + " durable").isTrue();
                assertThat(q.path("auto_delete").asBoolean()).as(name + " auto_delete").isFalse();
            });
            for (String service : SERVICES) {
                assertThat(str(environment(service(service)).get("RABBITMQ_QUEUE_TYPE")))
                        .as(service + ": the compose broker's queues are classic (definitions.json)").isEqualTo("classic");
            }
        }

        /** The queue policy RabbitMQ applies to a queue: the matching one of highest priority (missing: none). */
        JsonNode policyFor(String queue) {
            JsonNode best = MissingNode.getInstance();
            for (JsonNode p : definitions.path("policies")) {
                if (!p.path("apply-to").asText().equals("exchanges") && Pattern.compile(p.path("pattern").asText()).matcher(queue).find()
                        && (best.isMissingNode() || p.path("priority").asInt() > best.path("priority").asInt())) {
                    best = p;
                }
            }
            return best;
        }

        @Test
        void optionalBehaviourIsPoliciesAndOperatorPoliciesCapLengthAndDeliveries() {
            Map<String, JsonNode> policies = byName(definitions.path("policies"));
            assertThat(policies.get("shop-events").path("apply-to").asText()).isEqualTo("exchanges");
            assertThat(policies.get("shop-events").path("definition").path("alternate-exchange").asText()).isEqualTo("shop.unroutable");
            assertThat(policyFor("integrations.crm.order-confirmed").path("name").asText()).as("any other work queue").isEqualTo("shop-work-queues");
            assertThat(policyFor("integrations.crm.order-confirmed.dlq").isMissingNode()).as("an integration's DLQ").isTrue();
            assertThat(policyFor("amq.gen-123").isMissingNode()).as("server-named reply queues").isTrue();
            // delivery-limit makes a policy inapplicable to classic queues: only in the operator policy (quorum queues)
            policies.values().forEach(p -> assertThat(p.path("definition").has("delivery-limit")).as(p.path("name").asText()).isFalse());
            Map<String, JsonNode> operator = new HashMap<>();
            definitions.path("parameters").forEach(p -> {
                assertThat(p.path("component").asText()).isEqualTo("operator_policy");
                assertThat(p.path("vhost").asText()).isEqualTo("shop");
                operator.put(p.path("name").asText(), p.path("value"));
            });
            assertThat(operator.get("shop-cap-parking").path("definition").path("max-length").asInt()).isEqualTo(10000);
            assertThat(operator.get("shop-cap-work-queues").path("definition").path("delivery-limit").asInt()).isEqualTo(20);
            assertThat(operator.get("shop-cap-work-queues").path("pattern").asText()).isEqualTo(policies.get("shop-work-queues").path("pattern").asText());
            definitions.path("policies").forEach(p -> assertThat(p.path("vhost").asText()).isEqualTo("shop"));
        }

        @Test
        void brokerConfigurationEnablesManagementAndPrometheusAndTheTopologyIsImported() {
            String conf = read(root.resolve("config/rabbitmq/rabbitmq.conf"));
            List<String> settings = conf.lines().map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
            assertThat(settings).contains("management.tcp.port = 15672", "prometheus.tcp.port = 15692");
            // boot-time import would skip seeding the default user that .env describes (docs/deployment.md)
            assertThat(settings).noneMatch(l -> l.startsWith("load_definitions") || l.startsWith("definitions."));
            assertThat(read(root.resolve("config/rabbitmq/enabled_plugins")))
                    .contains("rabbitmq_management").contains("rabbitmq_prometheus");

            Map<String, Object> rabbit = service("rabbitmq");
            assertThat(str(rabbit.get("image"))).startsWith("rabbitmq:3.13-management");
            assertThat(strings(rabbit.get("volumes"))).anyMatch(v -> v.startsWith("../config/rabbitmq/rabbitmq.conf:/etc/rabbitmq/conf.d/"))
                    .anyMatch(v -> v.startsWith("../config/rabbitmq/enabled_plugins:/etc/rabbitmq/enabled_plugins"));
            Map<String, Object> topology = service("rabbitmq-topology");
            String mount = strings(topology.get("volumes")).stream().filter(v -> v.startsWith("../config/rabbitmq/definitions.json:"))
                    .findFirst().orElseThrow(() -> new AssertionError("rabbitmq-topology mounts definitions.json"));
            String target = mount.split(":")[1];
            assertThat(String.join(" ", strings(topology.get("command")))).contains("import " + target)
                    .contains("declare user").contains("declare permission vhost=shop");
        }
    }

    // =================================================================================================
    // Prometheus and Grafana
    // =================================================================================================

    @Nested
    class Observability {

        final Map<String, Object> prometheus = map(yaml(root.resolve("config/prometheus/prometheus.yml")));

        @Test
        void prometheusScrapesEveryServiceWithBasicAuthFromFiles() {
            Map<String, Map<String, Object>> jobs = new LinkedHashMap<>();
            list(prometheus.get("scrape_configs")).forEach(j -> jobs.put(str(map(j).get("job_name")), map(j)));
            Set<String> secretFiles = strings(service("prometheus").get("secrets")).stream().map(s -> "/run/secrets/" + s)
                    .collect(Collectors.toSet());
            for (String service : SERVICES) {
                Map<String, Object> job = jobs.get(service);
                assertThat(job).as("scrape job " + service).isNotNull();
                assertThat(str(job.get("metrics_path"))).isEqualTo("/actuator/prometheus");
                List<String> targets = new ArrayList<>();
                list(job.get("static_configs")).forEach(c -> targets.addAll(strings(map(c).get("targets"))));
                assertThat(targets).containsExactly(service + ":" + PORTS.get(service));
                Map<String, Object> auth = map(job.get("basic_auth"));
                assertThat(auth).as(service + " basic_auth without literal password").doesNotContainKey("password")
                        .containsKeys("username_file", "password_file");
                assertThat(secretFiles).as("prometheus gets the files compose makes").contains(
                        str(auth.get("username_file")), str(auth.get("password_file")));
            }
            Map<String, Object> secrets = map(compose.get("secrets"));
            Set<String> sources = secrets.values().stream().map(s -> str(map(s).get("environment"))).collect(Collectors.toSet());
            assertThat(sources).as("scrape credentials: a read-only viewer or the operator").isSubsetOf(
                    "VIEWER_USERNAME", "VIEWER_PASSWORD", "OPERATOR_USERNAME", "OPERATOR_PASSWORD");
            List<String> rabbitTargets = new ArrayList<>();
            jobs.values().forEach(j -> list(j.get("static_configs")).forEach(c -> rabbitTargets.addAll(strings(map(c).get("targets")))));
            assertThat(rabbitTargets).as("RabbitMQ's prometheus plugin").contains("rabbitmq:15692");
            assertThat(strings(service("prometheus").get("volumes")))
                    .contains("../config/prometheus/prometheus.yml:/etc/prometheus/prometheus.yml:ro");
        }

        @Test
        void grafanaProvisionsThePrometheusDatasourceAndTheDashboards() {
            Map<String, Object> datasources = map(yaml(root.resolve("config/grafana/provisioning/datasources/prometheus.yml")));
            Map<String, Object> promDs = list(datasources.get("datasources")).stream().map(DeploymentFilesIT::map)
                    .filter(d -> "prometheus".equals(d.get("type"))).findFirst().orElseThrow();
            assertThat(str(promDs.get("url"))).isEqualTo("http://prometheus:9090");
            assertThat(services()).containsKey("prometheus");

            Map<String, Object> providers = map(yaml(root.resolve("config/grafana/provisioning/dashboards/dashboards.yml")));
            String path = str(map(map(list(providers.get("providers")).get(0)).get("options")).get("path"));
            List<String> mounts = strings(service("grafana").get("volumes"));
            assertThat(mounts).contains("../config/grafana/dashboards:" + path + ":ro",
                    "../config/grafana/provisioning/datasources:/etc/grafana/provisioning/datasources:ro",
                    "../config/grafana/provisioning/dashboards:/etc/grafana/provisioning/dashboards:ro");

            Set<String> uids = list(datasources.get("datasources")).stream().map(d -> str(map(d).get("uid"))).collect(Collectors.toSet());
            for (Path dashboard : dashboards()) {
                List<String> used = new ArrayList<>();
                json(dashboard).findValues("datasource").forEach(ds -> {
                    if (ds.has("uid")) {
                        used.add(ds.path("uid").asText());
                    }
                });
                assertThat(used).as(dashboard + " datasource uids").isNotEmpty().allMatch(uids::contains);
            }
        }

        @Test
        void dashboardsQueryOnlyMetricsThatExistAndTheListIsUpToDate() {
            Set<String> used = new TreeSet<>();
            for (Path dashboard : dashboards()) {
                for (String query : dashboardQueries(json(dashboard))) {
                    Set<String> names = metricNames(query);
                    assertThat(names).as("metric names in " + dashboard.getFileName() + ": " + query).isNotEmpty();
                    names.forEach(name -> assertThat(ALLOWED_METRICS.contains(name)
                            || ALLOWED_METRIC_PREFIXES.stream().anyMatch(name::startsWith))
                            .as(dashboard.getFileName() + " queries " + name + " (" + query + "), which no service exports").isTrue());
                    used.addAll(names);
                }
            }
            // every panel the issue asks for
            assertThat(used).containsAll(ALLOWED_METRICS);
            Set<String> listed = read(root.resolve("config/grafana/dashboards/metrics-used.txt")).lines().map(String::trim)
                    .filter(l -> !l.isEmpty() && !l.startsWith("#")).collect(Collectors.toCollection(TreeSet::new));
            assertThat(listed).as("config/grafana/dashboards/metrics-used.txt lists the dashboards' metric names").isEqualTo(used);
        }

        @Test
        void metricNameExtractionSeesThroughPromQl() {
            assertThat(metricNames("histogram_quantile(0.95, sum by (le) (rate(shop_saga_duration_seconds_bucket{service=~\"$service\"}[$__rate_interval])))"))
                    .containsExactly("shop_saga_duration_seconds_bucket");
            assertThat(metricNames("max by (name, state) (resilience4j_circuitbreaker_state) == 1"))
                    .containsExactly("resilience4j_circuitbreaker_state");
            assertThat(metricNames("label_values(jvm_memory_used_bytes, service)")).containsExactly("jvm_memory_used_bytes");
            assertThat(metricNames("sum(rate(a_total[5m])) / ignoring(x) group_left sum(b_total offset 1h) or vector(0)"))
                    .containsExactlyInAnyOrder("a_total", "b_total");
        }
    }

    // =================================================================================================
    // Kubernetes
    // =================================================================================================

    @Nested
    class Kubernetes {

        @ParameterizedTest
        @ValueSource(strings = {"base", "overlays/dev", "overlays/prod"})
        void manifestsHoldTogether(String dir) {
            Rendered r = new Rendered(Kustomize.render(root.resolve("config/kubernetes").resolve(dir)));

            assertThat(r.names("Deployment")).as(dir + " deployments").containsExactlyInAnyOrderElementsOf(SERVICES);
            assertThat(r.all).as(dir + ": no Secret with literal data in the manifests")
                    .noneMatch(o -> "Secret".equals(o.get("kind")) && (o.containsKey("data") || o.containsKey("stringData")));
            Set<String> namespaces = r.all.stream().filter(o -> !"Namespace".equals(o.get("kind")))
                    .map(o -> str(meta(o).get("namespace"))).collect(Collectors.toSet());
            assertThat(namespaces).as(dir + ": one namespace").hasSize(1).doesNotContainNull();

            Map<String, Object> rabbit = r.one("RabbitmqCluster", null);
            assertThat(str(rabbit.get("apiVersion"))).isEqualTo("rabbitmq.com/v1beta1");
            String rabbitName = str(meta(rabbit).get("name"));
            assertThat(r.names("Cluster")).as("a CloudNativePG cluster per service")
                    .containsExactlyInAnyOrderElementsOf(DATABASES.values().stream().map(db -> db + "-db").toList());
            Set<String> generatedSecrets = new TreeSet<>(Set.of(rabbitName + "-default-user"));
            r.of("Cluster").forEach(c -> {
                assertThat(str(c.get("apiVersion"))).isEqualTo("postgresql.cnpg.io/v1");
                generatedSecrets.add(str(meta(c).get("name")) + "-app");
            });

            for (String name : SERVICES) {
                checkDeployment(dir, r, name, rabbitName, generatedSecrets);
            }
            checkIngress(dir, r);
            r.of("Service").forEach(s -> assertThat(str(map(s.get("spec")).getOrDefault("type", "ClusterIP")))
                    .as(dir + " Service " + meta(s).get("name") + " stays inside the cluster").isEqualTo("ClusterIP"));
            assertThat(str(map(map(rabbit.get("spec")).get("service")).getOrDefault("type", "ClusterIP"))).isEqualTo("ClusterIP");
        }

        @ParameterizedTest
        @ValueSource(strings = {"base", "overlays/dev", "overlays/prod"})
        void theBrokerGetsThePoliciesOfDefinitionsJson(String dir) {
            // generated from definitions.json, not written twice
            assertThat(read(root.resolve("config/kubernetes/base/rabbitmq-policies.yaml")))
                    .isEqualTo(Commands.require(root.resolve("bin/apply-policies").toString(), "--kubernetes"));
            Rendered r = new Rendered(Kustomize.render(root.resolve("config/kubernetes").resolve(dir)));
            String rabbitName = str(meta(r.one("RabbitmqCluster", null)).get("name"));
            JsonNode definitions = json(root.resolve("config/rabbitmq/definitions.json"));
            Map<String, String> expected = new TreeMap<>();
            definitions.path("policies").forEach(p -> expected.put("Policy " + p.path("name").asText(),
                    p.path("pattern").asText() + " " + p.path("apply-to").asText() + " " + p.path("priority").asInt() + " " + jsonMap(p.path("definition"))));
            definitions.path("parameters").forEach(p -> expected.put("OperatorPolicy " + p.path("name").asText(),
                    p.path("value").path("pattern").asText() + " " + p.path("value").path("apply-to").asText() + " "
                            + p.path("value").path("priority").asInt() + " " + jsonMap(p.path("value").path("definition"))));
            Map<String, String> rendered = new TreeMap<>();
            for (String kind : List.of("Policy", "OperatorPolicy")) {
                r.of(kind).forEach(o -> {
                    Map<String, Object> spec = map(o.get("spec"));
                    assertThat(str(map(spec.get("rabbitmqClusterReference")).get("name"))).isEqualTo(rabbitName);
                    assertThat(str(spec.get("vhost"))).isEqualTo("shop");
                    Map<String, String> definition = new TreeMap<>();
                    map(spec.get("definition")).forEach((k, v) -> definition.put(k, String.valueOf(v)));
                    rendered.put(kind + " " + spec.get("name"), spec.get("pattern") + " " + spec.get("applyTo") + " "
                            + spec.get("priority") + " " + definition);
                });
            }
            assertThat(rendered).as(dir).isEqualTo(expected);
        }

        @Test
        void devOverlayRunsOneOfEverythingWithClassicQueues() {
            Rendered r = new Rendered(Kustomize.render(root.resolve("config/kubernetes/overlays/dev")));
            for (String name : SERVICES) {
                assertThat(map(r.one("Deployment", name).get("spec")).get("replicas")).as(name).isEqualTo(1);
                assertThat(map(r.one("HorizontalPodAutoscaler", name).get("spec")).get("minReplicas")).isEqualTo(1);
            }
            assertThat(r.env("order-service")).containsEntry("RABBITMQ_QUEUE_TYPE", "classic");
            assertThat(map(r.one("RabbitmqCluster", null).get("spec")).get("replicas")).isEqualTo(1);
            r.of("Cluster").forEach(c -> assertThat(map(c.get("spec")).get("instances")).isEqualTo(1));
        }

        @Test
        void prodOverlayRunsTheSeedsReplicasQuorumQueuesAndTheProdProfile() {
            Rendered r = new Rendered(Kustomize.render(root.resolve("config/kubernetes/overlays/prod")));
            for (String name : SERVICES) {
                assertThat(map(r.one("Deployment", name).get("spec")).get("replicas")).as(name).isEqualTo(SEED_REPLICAS.get(name));
                assertThat(r.env(name)).containsEntry("RABBITMQ_QUEUE_TYPE", "quorum").containsEntry("SPRING_PROFILES_ACTIVE", "prod");
            }
            assertThat(map(r.one("RabbitmqCluster", null).get("spec")).get("replicas")).isEqualTo(3);
            r.of("Cluster").forEach(c -> assertThat((Integer) map(c.get("spec")).get("instances")).isGreaterThanOrEqualTo(3));
        }

        @ParameterizedTest
        @ValueSource(strings = {"base", "overlays/dev", "overlays/prod"})
        void kubectlKustomizeRendersTheSameAsTheResolver(String dir) throws Exception {
            Path overlay = root.resolve("config/kubernetes").resolve(dir);
            Assumptions.assumeTrue(kubectlAvailable(), "kubectl is not on the PATH: the resolver's rendering stands alone");
            Process p = new ProcessBuilder("kubectl", "kustomize", overlay.toString()).redirectErrorStream(false).start();
            byte[] out = p.getInputStream().readAllBytes();
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as("kubectl kustomize " + dir + ": " + err).isZero();
            Map<String, Map<String, Object>> kubectl = new TreeMap<>();
            for (Object doc : yamlLoader().loadAll(new String(out, StandardCharsets.UTF_8))) {
                if (doc != null) {
                    kubectl.put(Kustomize.key(map(doc)), map(doc));
                }
            }
            Map<String, Map<String, Object>> ours = new TreeMap<>();
            Kustomize.render(overlay).forEach(o -> ours.put(Kustomize.key(o), o));
            assertThat(ours.keySet()).isEqualTo(kubectl.keySet());
            ours.forEach((key, object) -> assertThat(object).as(dir + " " + key).isEqualTo(kubectl.get(key)));
        }

        @Test
        void theResolverAppliesStrategicMergePatches() {
            Map<String, Object> base = map(yamlLoader().load("""
                    kind: Deployment
                    metadata: {name: a}
                    spec:
                      template:
                        spec:
                          containers:
                            - name: c
                              image: x
                              env: [{name: A, value: "1"}, {name: B, value: "2"}]
                    """));
            Map<String, Object> patch = map(yamlLoader().load("""
                    kind: Deployment
                    metadata: {name: a}
                    spec:
                      template:
                        spec:
                          containers:
                            - name: c
                              env: [{name: B, value: "3"}, {name: C, value: "4"}]
                    """));
            Map<String, Object> merged = map(Kustomize.merge(base, patch, ""));
            Map<String, Object> container = map(list(map(map(map(merged.get("spec")).get("template")).get("spec")).get("containers")).get(0));
            assertThat(container.get("image")).isEqualTo("x");
            assertThat(list(container.get("env")).stream().map(e -> map(e).get("name") + "=" + map(e).get("value")))
                    .containsExactly("A=1", "B=3", "C=4");
        }

        private void checkDeployment(String dir, Rendered r, String name, String rabbitName, Set<String> generatedSecrets) {
            String at = dir + " " + name + ": ";
            Map<String, Object> deployment = r.one("Deployment", name);
            Map<String, Object> spec = map(deployment.get("spec"));
            Map<String, Object> pod = map(map(spec.get("template")).get("spec"));
            Map<String, Object> podLabels = map(meta(map(spec.get("template"))).get("labels"));
            assertThat(podLabels).as(at + "selector matches the pod").containsAllEntriesOf(stringMap(map(spec.get("selector")).get("matchLabels")));

            List<Object> containers = list(pod.get("containers"));
            assertThat(containers).hasSize(1);
            Map<String, Object> c = map(containers.get(0));
            assertThat(str(c.get("image"))).as(at + "image from the build").isEqualTo("shop/" + name + ":" + version);
            Map<String, Object> port = map(list(c.get("ports")).get(0));
            assertThat(port).as(at + "port").containsEntry("name", "http").containsEntry("containerPort", PORTS.get(name));

            // probes (CONTRACT.md): readiness /ready, liveness /health, a startup probe in front of liveness
            assertThat(probe(c, "readinessProbe")).as(at + "readiness").containsEntry("path", "/ready");
            assertThat(probe(c, "livenessProbe")).as(at + "liveness").containsEntry("path", "/health");
            assertThat(probe(c, "startupProbe")).as(at + "startup probe").containsKey("path");
            for (String probe : List.of("readinessProbe", "livenessProbe", "startupProbe")) {
                Object probePort = probe(c, probe).get("port");
                assertThat(probePort.equals("http") || probePort.equals(PORTS.get(name))).as(at + probe + " port").isTrue();
            }

            // the seed's resources
            Map<String, Object> resources = map(c.get("resources"));
            assertThat(stringMap(resources.get("requests"))).as(at + "requests").isEqualTo(Map.of("cpu", "250m", "memory", "256Mi"));
            assertThat(stringMap(resources.get("limits"))).as(at + "limits").isEqualTo(Map.of("cpu", "500m", "memory", "512Mi"));

            // non-root, no privileges
            Map<String, Object> podSecurity = map(pod.get("securityContext"));
            assertThat(podSecurity.get("runAsNonRoot")).as(at + "runAsNonRoot").isEqualTo(true);
            assertThat((Integer) podSecurity.get("runAsUser")).as(at + "runAsUser").isPositive();
            Map<String, Object> containerSecurity = map(c.get("securityContext"));
            assertThat(containerSecurity.get("allowPrivilegeEscalation")).isEqualTo(false);
            assertThat(strings(map(containerSecurity.get("capabilities")).get("drop"))).contains("ALL");

            // in-flight work finishes: a preStop pause, then graceful shutdown inside the grace period
            String preStop = String.join(" ", strings(map(map(map(c.get("lifecycle")).get("preStop")).get("exec")).get("command")));
            Matcher sleep = Pattern.compile("sleep (\\d+)").matcher(preStop);
            assertThat(sleep.find()).as(at + "preStop sleeps").isTrue();
            int grace = (Integer) pod.get("terminationGracePeriodSeconds");
            assertThat(grace).as(at + "terminationGracePeriodSeconds > preStop + Spring's 20 s shutdown phase")
                    .isGreaterThan(Integer.parseInt(sleep.group(1)) + 20);
            Map<String, Object> rolling = map(map(spec.get("strategy")).get("rollingUpdate"));
            assertThat(rolling.get("maxUnavailable")).as(at + "a rollout never drops below the replica count").isEqualTo(0);

            // environment: ConfigMaps and Secret references only
            for (Object e : list(c.get("env"))) {
                Map<String, Object> entry = map(e);
                String envName = str(entry.get("name"));
                assertThat(entry).as(at + envName + ": no literal value").doesNotContainKey("value");
                Map<String, Object> from = map(entry.get("valueFrom"));
                if (SECRET_NAME.matcher(envName).matches() || envName.endsWith("_USER") || envName.endsWith("_USERNAME")) {
                    assertThat(from).as(at + envName + " from a Secret").containsKey("secretKeyRef");
                }
                if (from.containsKey("secretKeyRef")) {
                    Map<String, Object> ref = map(from.get("secretKeyRef"));
                    String secret = str(ref.get("name"));
                    assertThat(generatedSecrets.contains(secret) || secret.equals("shop-secrets"))
                            .as(at + envName + " refers to Secret " + secret + ", which no operator generates and docs do not create").isTrue();
                    if (generatedSecrets.contains(secret)) {
                        assertThat(str(ref.get("key"))).isIn("username", "password");
                    }
                } else {
                    assertThat(from).as(at + envName).containsKey("configMapKeyRef");
                }
            }
            for (Object e : list(c.get("envFrom"))) {
                Map<String, Object> source = map(e);
                assertThat(source).as(at + "envFrom: ConfigMaps only (secrets by key)").containsOnlyKeys("configMapRef");
                assertThat(r.names("ConfigMap")).contains(str(map(source.get("configMapRef")).get("name")));
            }
            Map<String, String> env = r.env(name);
            assertKnownEnv("kubernetes " + dir + " " + name, env.keySet());
            Set<String> required = new TreeSet<>(REQUIRED_ENV);
            required.addAll(REQUIRED_SERVICE_ENV.get(name));
            assertThat(env.keySet()).as(at + "environment").containsAll(required);
            env.forEach((k, v) -> {
                if (SECRET_NAME.matcher(k).matches()) {
                    assertThat(v).as(at + k + " comes from a Secret").isEqualTo("<secret>");
                }
            });
            assertThat(env.get("SERVER_PORT")).isEqualTo(String.valueOf(PORTS.get(name)));
            assertThat(env.get("OTEL_SERVICE_NAME")).isEqualTo(name);
            assertThat(env.get("OTEL_EXPORTER_OTLP_PROTOCOL")).isEqualTo("http/protobuf");
            assertThat(env.get("JAVA_TOOL_OPTIONS")).contains(CONTAINER_JVM_OPTIONS);
            assertThat(env.get("RABBITMQ_HOST")).as(at + "the RabbitmqCluster's Service").isEqualTo(rabbitName);
            String db = DATABASES.get(name);
            assertThat(env.get("POSTGRES_HOST")).as(at + "its own database's primary").isEqualTo(db + "-db-rw");
            Map<String, Object> cluster = r.one("Cluster", db + "-db");
            Map<String, Object> initdb = map(map(map(cluster.get("spec")).get("bootstrap")).get("initdb"));
            assertThat(initdb).containsEntry("database", db).containsEntry("owner", db);
            assertThat(r.secretRef(name, "POSTGRES_PASSWORD")).isEqualTo(db + "-db-app");
            assertThat(r.secretRef(name, "POSTGRES_USER")).isEqualTo(db + "-db-app");

            // Service, PodDisruptionBudget, HorizontalPodAutoscaler
            Map<String, Object> service = r.one("Service", name);
            assertThat(podLabels).containsAllEntriesOf(stringMap(map(service.get("spec")).get("selector")));
            Map<String, Object> servicePort = map(list(map(service.get("spec")).get("ports")).get(0));
            assertThat(servicePort.get("targetPort")).isIn("http", PORTS.get(name));
            assertThat(servicePort.get("port")).isEqualTo(PORTS.get(name));

            Map<String, Object> pdb = r.one("PodDisruptionBudget", name);
            assertThat(str(pdb.get("apiVersion"))).isEqualTo("policy/v1");
            assertThat(podLabels).containsAllEntriesOf(stringMap(map(map(pdb.get("spec")).get("selector")).get("matchLabels")));
            int replicas = (Integer) spec.get("replicas");
            Object minAvailable = map(pdb.get("spec")).get("minAvailable");
            if (minAvailable instanceof Integer min) {
                assertThat(min).as(at + "a PDB that still lets a node drain").isLessThan(replicas);
            } else {
                assertThat(map(pdb.get("spec"))).containsKey("maxUnavailable");
            }

            Map<String, Object> hpa = r.one("HorizontalPodAutoscaler", name);
            assertThat(str(hpa.get("apiVersion"))).isEqualTo("autoscaling/v2");
            Map<String, Object> hpaSpec = map(hpa.get("spec"));
            assertThat(stringMap(hpaSpec.get("scaleTargetRef"))).containsEntry("kind", "Deployment").containsEntry("name", name);
            assertThat(hpaSpec.get("minReplicas")).as(at + "HPA minimum = the Deployment's replicas").isEqualTo(replicas);
            assertThat((Integer) hpaSpec.get("maxReplicas")).isGreaterThanOrEqualTo(replicas);
            assertThat(list(hpaSpec.get("metrics"))).anyMatch(m -> "cpu".equals(map(map(m).get("resource")).get("name")));
        }

        private void checkIngress(String dir, Rendered r) {
            List<Map<String, Object>> ingresses = r.of("Ingress");
            assertThat(ingresses).as(dir + ": one Ingress, the API gateway").hasSize(1);
            Map<String, Object> ingress = ingresses.get(0);
            Map<String, Object> spec = map(ingress.get("spec"));
            assertThat(spec.get("ingressClassName")).isEqualTo("nginx");
            assertThat(spec).as("no default backend").doesNotContainKey("defaultBackend");
            Set<String> annotations = map(meta(ingress).get("annotations")).keySet();
            assertThat(annotations).as("annotations that would widen or rewrite what is exposed").noneMatch(a ->
                    a.endsWith("/rewrite-target") || a.endsWith("/use-regex") || a.endsWith("-snippet") || a.endsWith("/app-root"));
            List<String> exposed = new ArrayList<>();
            for (Object rule : list(spec.get("rules"))) {
                for (Object p : list(map(map(rule).get("http")).get("paths"))) {
                    Map<String, Object> path = map(p);
                    Map<String, Object> backend = map(map(path.get("backend")).get("service"));
                    exposed.add(path.get("path") + " " + path.get("pathType") + " -> " + backend.get("name"));
                    assertThat(map(backend.get("port")).get("name") != null
                            ? map(backend.get("port")).get("name").equals("http")
                            : Objects.equals(map(backend.get("port")).get("number"), PORTS.get("order-service"))).isTrue();
                }
            }
            assertThat(exposed).as(dir + ": only the customer API").isNotEmpty()
                    .allMatch(e -> e.equals("/orders Prefix -> order-service") || e.equals("/orders Exact -> order-service"));
        }
    }

    // =================================================================================================
    // docs
    // =================================================================================================

    @Test
    void imagesAndLocalRunsUseTheSameJvmOptionsTheBenchmarkMeasured() throws Exception {
        var flags = rootPom().getElementsByTagName("jvmFlag");
        List<String> image = new ArrayList<>();
        for (int i = 0; i < flags.getLength(); i++) {
            image.add(flags.item(i).getTextContent().trim());
        }
        assertThat(image).as("Jib jvmFlags").containsAll(List.of(CONTAINER_JVM_OPTIONS.split(" ")));
        // the tests and the benchmark start services with ServiceProcess.JVM_OPTIONS
        assertThat(read(root.resolve("bin/run"))).as("bin/run's JAVA_OPTS").contains(String.join(" ", ServiceProcess.JVM_OPTIONS));
        // -Xmx256m is 50 % of the 512 Mi limit every Deployment and compose service has
        assertThat(CONTAINER_JVM_OPTIONS).contains("MaxRAMPercentage=50");
        assertThat(ServiceProcess.JVM_OPTIONS).contains("-Xmx256m");
    }

    @Test
    void deploymentDocumentCoversRunningScalingRollingAndImages() {
        String doc = read(root.resolve("docs/deployment.md"));
        assertThat(doc).contains("cp .env.example .env", "docker compose up", "kubectl apply -k config/kubernetes/overlays/prod",
                "CloudNativePG", "RabbitMQ Cluster Operator", "ingress-nginx", "SKIP LOCKED", "quorum", "classic");
        // the Jib configuration the root pom is to carry
        assertThat(doc).contains("<artifactId>jib-maven-plugin</artifactId>", "<version>3.5.2</version>",
                "<image>eclipse-temurin:17-jre</image>", "<user>65532", "-XX:MaxRAMPercentage=50", "-XX:TieredStopAtLevel=1",
                "-XX:+ExitOnOutOfMemoryError", "<image>shop/${project.artifactId}:${project.version}</image>", "jib:buildTar");
        // every key the Deployments read from shop-secrets is in the documented kubectl create secret
        Rendered r = new Rendered(Kustomize.render(root.resolve("config/kubernetes/overlays/prod")));
        Matcher create = Pattern.compile("kubectl[^\\n]*create secret generic shop-secrets((?:[^\\n]*\\\\\\n)*[^\\n]*)").matcher(doc);
        assertThat(create.find()).as("docs/deployment.md: kubectl create secret generic shop-secrets ...").isTrue();
        for (String key : r.secretKeys("shop-secrets")) {
            assertThat(create.group(0)).as("docs create shop-secrets with " + key).contains("--from-literal=" + key + "=");
        }
    }

    // =================================================================================================
    // environment variables: the contract and what the build reads
    // =================================================================================================

    static void assertKnownEnv(String where, Collection<String> names) {
        Set<String> unknown = new TreeSet<>();
        for (String name : names) {
            if (!contractEnv.contains(name) && !RUNTIME_ENV.contains(name) && !buildEnv.containsKey(name)) {
                unknown.add(name);
            }
        }
        assertThat(unknown).as(where + ": variables neither CONTRACT.md names nor a service reads (placeholders in "
                + "src/main/resources and routes/, getenv/getProperty, relaxed binding of a property the sources use)").isEmpty();
    }

    static Set<String> contractEnv() {
        Path contract = root.resolve("../shared/CONTRACT.md").normalize();
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
    static Map<String, String> envReadByTheBuild() throws IOException {
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
    // docs/messaging.md: the queues and what they are bound to
    // =================================================================================================

    /** queue -> (exchange, routing keys), from the queue table of docs/messaging.md. */
    /** The policy of a queue nothing consumes (policy shop-parking, Topology.PARKING_QUEUE_MAX_LENGTH). */
    static final Map<String, String> PARKING_QUEUE = Map.of("max-length", "10000", "overflow", "drop-head");

    static Map<String, Map.Entry<String, List<String>>> messagingQueues() {
        Map<String, Map.Entry<String, List<String>>> queues = new TreeMap<>();
        Pattern row = Pattern.compile("^\\|\\s*`([a-z][a-z0-9.-]+)`\\s*\\|\\s*([a-z-]+-service)\\s*\\|(.*)\\|\\s*$");
        Pattern ticks = Pattern.compile("`([^`]+)`");
        for (String line : read(root.resolve("docs/messaging.md")).split("\n")) {
            Matcher m = row.matcher(line.trim());
            if (m.matches()) {
                List<String> tokens = new ArrayList<>();
                Matcher t = ticks.matcher(m.group(3));
                while (t.find()) {
                    tokens.add(t.group(1));
                }
                queues.put(m.group(1), Map.entry(tokens.get(0), tokens.subList(1, tokens.size())));
            }
        }
        assertThat(queues).as("queue table in docs/messaging.md").containsKeys("inventory.commands", "payment.commands", "shipping.order-confirmed");
        return queues;
    }

    // =================================================================================================
    // Grafana dashboards: queries and the metric names in them
    // =================================================================================================

    static List<Path> dashboards() {
        try (Stream<Path> files = Files.list(root.resolve("config/grafana/dashboards"))) {
            List<Path> all = files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
            assertThat(all).as("Grafana dashboards").isNotEmpty();
            return all;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every PromQL text of a dashboard: panel targets' expr and query-variable definitions. */
    static List<String> dashboardQueries(JsonNode dashboard) {
        List<String> queries = new ArrayList<>();
        dashboard.findValues("expr").forEach(e -> queries.add(e.asText()));
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            if ("query".equals(variable.path("type").asText())) {
                JsonNode q = variable.path("query");
                queries.add(q.isObject() ? q.path("query").asText() : q.asText());
            }
        }
        assertThat(queries).as("queries of the dashboard").isNotEmpty();
        return queries;
    }

    static final Set<String> PROMQL_WORDS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right",
            "bool", "offset", "and", "or", "unless", "inf", "nan", "atan2");

    /** Metric names in a PromQL expression (labels, strings, ranges, functions and keywords removed). */
    static Set<String> metricNames(String query) {
        String q = query;
        q = q.replaceAll("label_values\\(\\s*([^,)]+?)\\s*,\\s*[a-zA-Z_][a-zA-Z0-9_]*\\s*\\)", "$1");
        q = q.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'", "\"\"");
        q = q.replaceAll("\\{[^}]*}", " ");
        q = q.replaceAll("\\[[^]]*]", " ");
        q = q.replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ");
        q = q.replaceAll("\\boffset\\s+\\S+", " ");
        q = q.replaceAll("\\$\\{[^}]*}|\\$[a-zA-Z_][a-zA-Z0-9_]*", " ");
        q = q.replaceAll("\\b\\d+(\\.\\d+)?([eE][+-]?\\d+)?\\b", " ");
        Set<String> names = new TreeSet<>();
        Matcher m = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(\\s*\\()?").matcher(q);
        while (m.find()) {
            if (m.group(2) == null && !PROMQL_WORDS.contains(m.group(1).toLowerCase())) {
                names.add(m.group(1));
            }
        }
        return names;
    }

    // =================================================================================================
    // a small kustomize: resources (files and directories), namespace, strategic-merge patches, replicas
    // =================================================================================================

    static final class Kustomize {

        static final Set<String> SUPPORTED = Set.of("apiVersion", "kind", "namespace", "resources", "patches", "replicas");
        static final Set<String> CLUSTER_SCOPED = Set.of("Namespace", "ClusterRole", "ClusterRoleBinding",
                "CustomResourceDefinition", "PersistentVolume", "StorageClass", "IngressClass", "PriorityClass");
        /** Merge keys of the lists that strategic merge patches merge element by element. */
        static final Map<String, String> MERGE_KEYS = Map.of("containers", "name", "initContainers", "name", "env", "name",
                "volumes", "name", "volumeMounts", "mountPath", "ports", "containerPort", "imagePullSecrets", "name");

        static List<Map<String, Object>> render(Path dir) {
            Path file = dir.resolve("kustomization.yaml");
            assertThat(file).as("kustomization in " + dir).isRegularFile();
            Map<String, Object> k = map(yaml(file));
            assertThat(k.keySet()).as(file + ": fields this resolver implements (extend it when adding others)").isSubsetOf(SUPPORTED);
            List<Map<String, Object>> objects = new ArrayList<>();
            for (Object resource : list(k.get("resources"))) {
                Path path = dir.resolve(str(resource)).normalize();
                if (Files.isDirectory(path)) {
                    objects.addAll(render(path));
                } else {
                    assertThat(path).as(file + " resource").isRegularFile();
                    yamlAll(path).forEach(objects::add);
                }
            }
            Set<String> keys = new TreeSet<>();
            objects.forEach(o -> assertThat(keys.add(key(o))).as(dir + ": duplicate " + key(o)).isTrue());
            for (Object patchEntry : list(k.get("patches"))) {
                Map<String, Object> entry = map(patchEntry);
                assertThat(entry).as(file + " patches: strategic merge files by path").containsOnlyKeys("path");
                for (Map<String, Object> patch : yamlAll(dir.resolve(str(entry.get("path"))))) {
                    int index = indexOf(objects, str(patch.get("kind")), str(meta(patch).get("name")));
                    assertThat(index).as(dir + ": patch target " + patch.get("kind") + "/" + meta(patch).get("name")).isNotNegative();
                    objects.set(index, map(merge(objects.get(index), patch, "")));
                }
            }
            for (Object replica : list(k.get("replicas"))) {
                Map<String, Object> r = map(replica);
                int index = -1;
                for (String kind : List.of("Deployment", "StatefulSet", "ReplicaSet")) {
                    index = index >= 0 ? index : indexOf(objects, kind, str(r.get("name")));
                }
                assertThat(index).as(dir + ": replicas target " + r.get("name")).isNotNegative();
                Map<String, Object> spec = map(objects.get(index).get("spec"));
                spec.put("replicas", r.get("count"));
            }
            if (k.get("namespace") != null) {
                for (Map<String, Object> o : objects) {
                    if (!CLUSTER_SCOPED.contains(str(o.get("kind")))) {
                        meta(o).put("namespace", k.get("namespace"));
                    }
                }
            }
            return objects;
        }

        static String key(Map<String, Object> o) {
            String group = str(o.get("apiVersion")).contains("/") ? str(o.get("apiVersion")).split("/")[0] : "";
            return group + "/" + o.get("kind") + "/" + Objects.toString(meta(o).get("namespace"), "") + "/" + meta(o).get("name");
        }

        static int indexOf(List<Map<String, Object>> objects, String kind, String name) {
            for (int i = 0; i < objects.size(); i++) {
                if (kind.equals(objects.get(i).get("kind")) && name.equals(meta(objects.get(i)).get("name"))) {
                    return i;
                }
            }
            return -1;
        }

        /** Strategic merge: maps merge recursively, null deletes, keyed lists merge by key, other lists are replaced. */
        static Object merge(Object base, Object patch, String field) {
            if (base instanceof Map<?, ?> b && patch instanceof Map<?, ?> p) {
                Map<String, Object> out = new LinkedHashMap<>(map(b));
                p.forEach((key, value) -> {
                    if (value == null) {
                        out.remove(str(key));
                    } else {
                        out.put(str(key), merge(out.get(str(key)), value, str(key)));
                    }
                });
                return out;
            }
            String mergeKey = MERGE_KEYS.get(field);
            if (base instanceof List<?> b && patch instanceof List<?> p && mergeKey != null) {
                List<Object> out = new ArrayList<>(b);
                for (Object element : p) {
                    Object id = map(element).get(mergeKey);
                    int at = -1;
                    for (int i = 0; i < out.size(); i++) {
                        if (Objects.equals(map(out.get(i)).get(mergeKey), id)) {
                            at = i;
                        }
                    }
                    if (at >= 0) {
                        out.set(at, merge(out.get(at), element, ""));
                    } else {
                        out.add(element);
                    }
                }
                return out;
            }
            return patch;
        }
    }

    /** A rendered overlay with look-ups. */
    static final class Rendered {

        final List<Map<String, Object>> all;

        Rendered(List<Map<String, Object>> all) {
            this.all = all;
        }

        List<Map<String, Object>> of(String kind) {
            return all.stream().filter(o -> kind.equals(o.get("kind"))).toList();
        }

        List<String> names(String kind) {
            return of(kind).stream().map(o -> str(meta(o).get("name"))).toList();
        }

        Map<String, Object> one(String kind, String name) {
            List<Map<String, Object>> found = of(kind).stream().filter(o -> name == null || name.equals(meta(o).get("name"))).toList();
            assertThat(found).as(kind + " " + name).hasSize(1);
            return found.get(0);
        }

        Map<String, Object> container(String deployment) {
            Map<String, Object> pod = map(map(map(one("Deployment", deployment).get("spec")).get("template")).get("spec"));
            return map(list(pod.get("containers")).get(0));
        }

        /** The container's effective environment; values from Secrets read "<secret>". */
        Map<String, String> env(String deployment) {
            Map<String, String> env = new TreeMap<>();
            Map<String, Object> c = container(deployment);
            for (Object source : list(c.get("envFrom"))) {
                String configMap = str(map(map(source).get("configMapRef")).get("name"));
                stringMap(one("ConfigMap", configMap).get("data")).forEach(env::put);
            }
            for (Object e : list(c.get("env"))) {
                Map<String, Object> entry = map(e);
                Map<String, Object> from = map(entry.get("valueFrom"));
                if (entry.containsKey("value")) {
                    env.put(str(entry.get("name")), str(entry.get("value")));
                } else if (from.containsKey("secretKeyRef")) {
                    env.put(str(entry.get("name")), "<secret>");
                } else {
                    Map<String, Object> ref = map(from.get("configMapKeyRef"));
                    env.put(str(entry.get("name")), str(stringMap(one("ConfigMap", str(ref.get("name"))).get("data")).get(str(ref.get("key")))));
                }
            }
            return env;
        }

        String secretRef(String deployment, String variable) {
            for (Object e : list(container(deployment).get("env"))) {
                if (variable.equals(map(e).get("name"))) {
                    return str(map(map(map(e).get("valueFrom")).get("secretKeyRef")).get("name"));
                }
            }
            return null;
        }

        /** Keys every Deployment reads from the given Secret without {@code optional: true}. */
        Set<String> secretKeys(String secret) {
            Set<String> keys = new TreeSet<>();
            for (String d : names("Deployment")) {
                for (Object e : list(container(d).get("env"))) {
                    Map<String, Object> ref = map(map(map(e).get("valueFrom")).get("secretKeyRef"));
                    if (secret.equals(ref.get("name")) && !Boolean.TRUE.equals(ref.get("optional"))) {
                        keys.add(str(ref.get("key")));
                    }
                }
            }
            return keys;
        }
    }

    // =================================================================================================
    // small helpers
    // =================================================================================================

    static Map<String, Object> services() {
        return map(compose.get("services"));
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

    static Map<String, Object> probe(Map<String, Object> container, String probe) {
        return map(map(container.get(probe)).get("httpGet"));
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
        return list(o).stream().map(DeploymentFilesIT::str).toList();
    }

    static String str(Object o) {
        return o == null ? null : String.valueOf(o);
    }

    static Yaml yamlLoader() {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        return new Yaml(new SafeConstructor(options));
    }

    static Object yaml(Path file) {
        return yamlLoader().load(read(file));
    }

    static List<Map<String, Object>> yamlAll(Path file) {
        List<Map<String, Object>> docs = new ArrayList<>();
        for (Object doc : yamlLoader().loadAll(read(file))) {
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

    static boolean kubectlAvailable() {
        try {
            Process p = new ProcessBuilder("kubectl", "version", "--client").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    static String rootPomVersion() throws Exception {
        Element project = rootPom();
        for (Node n = project.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals("version")) {
                return e.getTextContent().trim();
            }
        }
        throw new AssertionError("root pom has no version");
    }

    static Set<String> rootPomModules() {
        try {
            Set<String> modules = new LinkedHashSet<>();
            var nodes = rootPom().getElementsByTagName("module");
            for (int i = 0; i < nodes.getLength(); i++) {
                modules.add(nodes.item(i).getTextContent().trim());
            }
            return modules;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static Element rootPom() throws Exception {
        var factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return factory.newDocumentBuilder().parse(root.resolve("pom.xml").toFile()).getDocumentElement();
    }
}
