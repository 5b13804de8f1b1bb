package shop.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static shop.systemtests.DeploymentFiles.SERVICES;
import static shop.systemtests.DeploymentFiles.byName;
import static shop.systemtests.DeploymentFiles.environment;
import static shop.systemtests.DeploymentFiles.json;
import static shop.systemtests.DeploymentFiles.jsonMap;
import static shop.systemtests.DeploymentFiles.read;
import static shop.systemtests.DeploymentFiles.root;
import static shop.systemtests.DeploymentFiles.service;
import static shop.systemtests.DeploymentFiles.str;
import static shop.systemtests.DeploymentFiles.strings;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import org.junit.jupiter.api.Test;

/**
 * Static checks of {@code config/rabbitmq/} (docs/deployment.md, "The checks of the deployment files"): topology only, in
 * vhost {@code shop}, the exchanges, queues and bindings of docs/messaging.md's table, optional behaviour as
 * policies, the broker's configuration and how compose imports it. Nothing is started.
 */
class RabbitMqFilesIT {

    final JsonNode definitions = json(root().resolve("config/rabbitmq/definitions.json"));

    @Test
    void definitionsHoldTopologyOnlyNoUsersOrPasswords() {
        assertThat(definitions.path("users").size()).as("users in definitions.json").isZero();
        assertThat(definitions.path("permissions").size()).as("permissions in definitions.json").isZero();
        assertThat(read(root().resolve("config/rabbitmq/definitions.json"))).doesNotContainIgnoringCase("password");
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
        String conf = read(root().resolve("config/rabbitmq/rabbitmq.conf"));
        List<String> settings = conf.lines().map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        assertThat(settings).contains("management.tcp.port = 15672", "prometheus.tcp.port = 15692");
        // boot-time import would skip seeding the default user that .env describes (docs/deployment.md)
        assertThat(settings).noneMatch(l -> l.startsWith("load_definitions") || l.startsWith("definitions."));
        assertThat(read(root().resolve("config/rabbitmq/enabled_plugins")))
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

    // =================================================================================================
    // docs/messaging.md: the queues and what they are bound to
    // =================================================================================================

    /** The policy of a queue nothing consumes (policy shop-parking, Topology.PARKING_QUEUE_MAX_LENGTH). */
    static final Map<String, String> PARKING_QUEUE = Map.of("max-length", "10000", "overflow", "drop-head");

    /** queue -> (exchange, routing keys), from the queue table of docs/messaging.md. */
    static Map<String, Map.Entry<String, List<String>>> messagingQueues() {
        Map<String, Map.Entry<String, List<String>>> queues = new TreeMap<>();
        Pattern row = Pattern.compile("^\\|\\s*`([a-z][a-z0-9.-]+)`\\s*\\|\\s*([a-z-]+-service)\\s*\\|(.*)\\|\\s*$");
        Pattern ticks = Pattern.compile("`([^`]+)`");
        for (String line : read(root().resolve("docs/messaging.md")).split("\n")) {
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
}
