package shop.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static shop.systemtests.DeploymentFiles.CONTAINER_JVM_OPTIONS;
import static shop.systemtests.DeploymentFiles.DATABASES;
import static shop.systemtests.DeploymentFiles.PORTS;
import static shop.systemtests.DeploymentFiles.REQUIRED_ENV;
import static shop.systemtests.DeploymentFiles.REQUIRED_SERVICE_ENV;
import static shop.systemtests.DeploymentFiles.SECRET_NAME;
import static shop.systemtests.DeploymentFiles.SERVICES;
import static shop.systemtests.DeploymentFiles.assertKnownEnv;
import static shop.systemtests.DeploymentFiles.compose;
import static shop.systemtests.DeploymentFiles.composeDir;
import static shop.systemtests.DeploymentFiles.environment;
import static shop.systemtests.DeploymentFiles.isOneShot;
import static shop.systemtests.DeploymentFiles.list;
import static shop.systemtests.DeploymentFiles.map;
import static shop.systemtests.DeploymentFiles.read;
import static shop.systemtests.DeploymentFiles.root;
import static shop.systemtests.DeploymentFiles.rootPomModules;
import static shop.systemtests.DeploymentFiles.rootPomVersion;
import static shop.systemtests.DeploymentFiles.service;
import static shop.systemtests.DeploymentFiles.services;
import static shop.systemtests.DeploymentFiles.str;
import static shop.systemtests.DeploymentFiles.strings;
import static shop.systemtests.DeploymentFiles.variableOf;
import static shop.systemtests.DeploymentFiles.yaml;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * Static checks of {@code compose/} (docs/deployment.md, "The checks of the deployment files"): the full stack, pinned
 * images that are the build's, health checks and the conditions the dependencies wait for, each service's
 * environment against CONTRACT.md and the variables the services read, no literal secrets, the databases'
 * passwords, mounts (the routes folder read-only), the prod profile with {@code .env.example}. Nothing is started.
 */
class ComposeFilesIT {

    @Test
    void definesTheFullStack() {
        assertThat(services().keySet()).contains("rabbitmq", "postgres", "jaeger", "prometheus", "grafana")
                .containsAll(SERVICES);
        // every compose file in compose/ parses (an override file, if someone adds one, too)
        try (Stream<Path> files = Files.list(composeDir())) {
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
                    .isEqualTo("shop/" + service + ":" + rootPomVersion());
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
        map(compose().get("secrets")).forEach((name, def) ->
                assertThat(map(def)).as("compose secret " + name).containsKey("environment"));
    }

    @Test
    void secretsOfADatabaseAreSharedOnlyByItsServiceAndThePostgresInit() {
        Map<String, Object> postgresEnv = environment(service("postgres"));
        String init = read(composeDir().resolve("postgres/init.sh"));
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
            Path props = root().resolve(service).resolve("src/main/resources/application.properties");
            if (Files.exists(props)) {
                Matcher name = Pattern.compile("(?m)^shop\\.db\\.name\\s*=\\s*(\\S+)").matcher(read(props));
                if (name.find()) {
                    assertThat(name.group(1)).as(service + " shop.db.name").isEqualTo(db);
                }
            }
        }
        assertThat(Files.isExecutable(composeDir().resolve("postgres/init.sh"))).as("init.sh executable").isTrue();
    }

    @Test
    void everyMountedFileExists() {
        services().forEach((name, def) -> {
            for (Object volume : list(map(def).get("volumes"))) {
                String source = volume instanceof Map<?, ?> v ? str(v.get("source")) : str(volume).split(":")[0];
                if (source.startsWith(".") || source.startsWith("/")) {
                    assertThat(composeDir().resolve(source).normalize()).as(name + " mounts " + source).exists();
                } else {
                    assertThat(map(compose().get("volumes"))).as(name + " named volume " + source).containsKey(source);
                }
            }
            for (Object secret : list(map(def).get("secrets"))) {
                String secretName = secret instanceof Map<?, ?> s ? str(s.get("source")) : str(secret);
                assertThat(map(compose().get("secrets"))).as(name + " secret " + secretName).containsKey(secretName);
            }
        });
    }

    @Test
    void routesDirIsMountedReadOnly() {
        // a ROUTES_DIR file is code (docs/security.md): the container may read its integrations, never write one
        for (String service : SERVICES) {
            String routesDir = str(environment(service(service)).get("ROUTES_DIR"));
            assertThat(routesDir).as("compose " + service + " ROUTES_DIR").startsWith("/");
            List<String> mounts = strings(service(service).get("volumes")).stream()
                    .filter(v -> v.split(":").length > 1 && v.split(":")[1].equals(routesDir)).toList();
            assertThat(mounts).as(service + " mounts its ROUTES_DIR").hasSize(1);
            String[] parts = mounts.get(0).split(":");
            assertThat(parts).as(service + " ROUTES_DIR mount " + mounts.get(0) + " is read-only").hasSize(3);
            assertThat(parts[2]).isEqualTo("ro");
            assertThat(composeDir().resolve(parts[0]).normalize()).as(service + " routes folder").isDirectory();
        }
    }

    @Test
    void thePaymentServiceStartsUnderTheProdProfileWithTheExampleEnv() {
        // compose runs the prod profile: the simulator of .env.example is allowed there explicitly, the
        // compose default (no .env value) is not - the service would refuse to start on a forgotten line
        Map<String, Object> env = environment(service("payment-service"));
        assertThat(str(env.get("PAYMENT_SIMULATOR_ALLOWED"))).isEqualTo("${PAYMENT_SIMULATOR_ALLOWED:-false}");
        assertThat(env).containsKey("STRIPE_API_KEY");
        Map<String, String> example = new LinkedHashMap<>();
        for (String line : read(composeDir().resolve(".env.example")).split("\n")) {
            Matcher m = Pattern.compile("^([A-Z][A-Z0-9_]*)=(.*)$").matcher(line.trim());
            if (m.matches()) {
                example.put(m.group(1), m.group(2));
            }
        }
        if (example.getOrDefault("PAYMENT_PROVIDER", "simulator").equals("simulator")) {
            assertThat(example).containsEntry("PAYMENT_SIMULATOR_ALLOWED", "true");
        }
        assertThat(read(composeDir().resolve(".env.example"))).contains("#STRIPE_API_KEY=");
    }

    @Test
    void envExampleDefinesEveryVariableWithoutSecretsAndEnvIsIgnored() {
        String example = read(composeDir().resolve(".env.example"));
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
        String text = read(composeDir().resolve("docker-compose.yml")).replaceAll("(?m)^\\s*#.*$", "");
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
        map(compose().get("secrets")).values().forEach(def ->
                assertThat(defined).containsKey(str(map(def).get("environment"))));
        defined.forEach((key, value) -> {
            if (SECRET_NAME.matcher(key).matches()) {
                assertThat(value).as(".env.example is committed: " + key + " stays empty").isEmpty();
            }
        });
        List<String> ignored = read(root().resolve(".gitignore")).lines().map(String::trim).toList();
        assertThat(ignored).as(".gitignore keeps compose/.env out of git").containsAnyOf(".env", "compose/.env", "/compose/.env");
        assertThat(composeDir().resolve("init-env.sh")).exists();
    }
}
