package shop.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static shop.systemtests.DeploymentFiles.CONTAINER_JVM_OPTIONS;
import static shop.systemtests.DeploymentFiles.DATABASES;
import static shop.systemtests.DeploymentFiles.PORTS;
import static shop.systemtests.DeploymentFiles.REQUIRED_ENV;
import static shop.systemtests.DeploymentFiles.REQUIRED_SERVICE_ENV;
import static shop.systemtests.DeploymentFiles.SECRET_NAME;
import static shop.systemtests.DeploymentFiles.SERVICES;
import static shop.systemtests.DeploymentFiles.assertKnownEnv;
import static shop.systemtests.DeploymentFiles.json;
import static shop.systemtests.DeploymentFiles.jsonMap;
import static shop.systemtests.DeploymentFiles.list;
import static shop.systemtests.DeploymentFiles.map;
import static shop.systemtests.DeploymentFiles.meta;
import static shop.systemtests.DeploymentFiles.read;
import static shop.systemtests.DeploymentFiles.root;
import static shop.systemtests.DeploymentFiles.rootPomVersion;
import static shop.systemtests.DeploymentFiles.service;
import static shop.systemtests.DeploymentFiles.str;
import static shop.systemtests.DeploymentFiles.stringMap;
import static shop.systemtests.DeploymentFiles.strings;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Static checks of {@code config/kubernetes/} (docs/deployment.md, "The checks of the deployment files"): the base and
 * both overlays as {@code kubectl kustomize} renders them ({@link RenderedOverlay}; kubectl is required, the
 * checks fail without it), each Deployment with its probes, resources, security, shutdown, environment and
 * Secrets, Service, PDB and HPA, the broker's policies, the one Ingress, and what dev and prod change. No cluster
 * is needed or touched.
 */
class KubernetesManifestsIT {

    /** The seed article's replica counts (production). */
    static final Map<String, Integer> SEED_REPLICAS = Map.of(
            "order-service", 3, "inventory-service", 2, "payment-service", 2, "shipping-service", 2);

    @ParameterizedTest
    @ValueSource(strings = {"base", "overlays/dev", "overlays/prod"})
    void manifestsHoldTogether(String dir) {
        RenderedOverlay r = RenderedOverlay.render(dir);

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
        assertThat(read(root().resolve("config/kubernetes/base/rabbitmq-policies.yaml")))
                .isEqualTo(Commands.require(root().resolve("bin/apply-policies").toString(), "--kubernetes"));
        RenderedOverlay r = RenderedOverlay.render(dir);
        String rabbitName = str(meta(r.one("RabbitmqCluster", null)).get("name"));
        JsonNode definitions = json(root().resolve("config/rabbitmq/definitions.json"));
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
        RenderedOverlay r = RenderedOverlay.render("overlays/dev");
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
        RenderedOverlay r = RenderedOverlay.render("overlays/prod");
        for (String name : SERVICES) {
            assertThat(map(r.one("Deployment", name).get("spec")).get("replicas")).as(name).isEqualTo(SEED_REPLICAS.get(name));
            assertThat(r.env(name)).containsEntry("RABBITMQ_QUEUE_TYPE", "quorum").containsEntry("SPRING_PROFILES_ACTIVE", "prod");
        }
        assertThat(map(r.one("RabbitmqCluster", null).get("spec")).get("replicas")).isEqualTo(3);
        r.of("Cluster").forEach(c -> assertThat((Integer) map(c.get("spec")).get("instances")).isGreaterThanOrEqualTo(3));
    }

    @ParameterizedTest
    @ValueSource(strings = {"base", "overlays/dev", "overlays/prod"})
    void thePaymentServiceStartsUnderTheProdProfile(String dir) {
        // what PaymentProviderProductionCheck demands (CONTRACT.md, Authentication): the simulator only when
        // explicitly allowed, Stripe only with its key from a Secret
        RenderedOverlay r = RenderedOverlay.render(dir);
        Map<String, String> env = r.env("payment-service");
        assertThat(env).containsEntry("SPRING_PROFILES_ACTIVE", "prod");
        String provider = env.getOrDefault("PAYMENT_PROVIDER", "simulator");
        if (provider.equals("simulator")) {
            assertThat(env).as(dir + ": the simulator under the prod profile needs the opt-in").containsEntry("PAYMENT_SIMULATOR_ALLOWED", "true");
        } else {
            assertThat(provider).isEqualTo("stripe");
            assertThat(r.secretRef("payment-service", "STRIPE_API_KEY")).as(dir + ": STRIPE_API_KEY from a Secret").isEqualTo("shop-secrets");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"base", "overlays/dev", "overlays/prod"})
    void routesDirIsAReadOnlyConfigMapVolume(String dir) {
        RenderedOverlay r = RenderedOverlay.render(dir);
        for (String name : SERVICES) {
            String routesDir = r.env(name).get("ROUTES_DIR");
            assertThat(routesDir).as(dir + " " + name + " ROUTES_DIR").isNotBlank();
            Map<String, Object> mount = list(r.container(name).get("volumeMounts")).stream().map(DeploymentFiles::map)
                    .filter(m -> routesDir.equals(m.get("mountPath"))).findFirst()
                    .orElseThrow(() -> new AssertionError(dir + " " + name + ": nothing mounted at ROUTES_DIR " + routesDir));
            assertThat(mount.get("readOnly")).as(dir + " " + name + " ROUTES_DIR mount readOnly").isEqualTo(true);
            Map<String, Object> pod = map(map(map(r.one("Deployment", name).get("spec")).get("template")).get("spec"));
            Map<String, Object> volume = list(pod.get("volumes")).stream().map(DeploymentFiles::map)
                    .filter(v -> mount.get("name").equals(v.get("name"))).findFirst().orElseThrow();
            String configMap = str(map(volume.get("configMap")).get("name"));
            assertThat(configMap).as(dir + " " + name + " ROUTES_DIR is a ConfigMap volume").isEqualTo(name + "-routes");
            assertThat(r.names("ConfigMap")).contains(configMap);
        }
    }

    @Test
    void prodOverlayNamesARealPaymentProviderWithItsKeyRequired() {
        RenderedOverlay r = RenderedOverlay.render("overlays/prod");
        Map<String, String> env = r.env("payment-service");
        assertThat(env).containsEntry("PAYMENT_PROVIDER", "stripe").containsEntry("STRIPE_API_KEY", "<secret>")
                .doesNotContainKey("PAYMENT_SIMULATOR_ALLOWED");
        assertThat(r.secretKeys("shop-secrets")).as("keys of shop-secrets that prod requires (not optional)").contains("STRIPE_API_KEY");
        // and the overlay's own files say so, not only the base (production never depends on a base default)
        assertThat(read(root().resolve("config/kubernetes/overlays/prod/config.yaml"))).contains("PAYMENT_PROVIDER: stripe");
    }

    private void checkDeployment(String dir, RenderedOverlay r, String name, String rabbitName, Set<String> generatedSecrets) {
        String at = dir + " " + name + ": ";
        Map<String, Object> deployment = r.one("Deployment", name);
        Map<String, Object> spec = map(deployment.get("spec"));
        Map<String, Object> pod = map(map(spec.get("template")).get("spec"));
        Map<String, Object> podLabels = map(meta(map(spec.get("template"))).get("labels"));
        assertThat(podLabels).as(at + "selector matches the pod").containsAllEntriesOf(stringMap(map(spec.get("selector")).get("matchLabels")));

        List<Object> containers = list(pod.get("containers"));
        assertThat(containers).hasSize(1);
        Map<String, Object> c = map(containers.get(0));
        assertThat(str(c.get("image"))).as(at + "image from the build").isEqualTo("shop/" + name + ":" + rootPomVersion());
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

    private void checkIngress(String dir, RenderedOverlay r) {
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

    static Map<String, Object> probe(Map<String, Object> container, String probe) {
        return map(map(container.get(probe)).get("httpGet"));
    }
}
