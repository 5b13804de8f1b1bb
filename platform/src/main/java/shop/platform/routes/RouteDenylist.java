package shop.platform.routes;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What a ROUTES_DIR file may not use, whatever else it passes (docs/adr/0017-routes-dir-denylist.md): components and
 * languages that run code or commands, objects made from class names, the CamelContext, the services' command channel,
 * endpoints the message picks at run time. Each hit at the line of the key or value that names it.
 */
final class RouteDenylist {

    /** Components (URI schemes) an integration never needs, and why each is refused. */
    static final Map<String, String> COMPONENTS = Map.ofEntries(
            Map.entry("exec", "runs operating-system commands"),
            Map.entry("ssh", "runs commands on other hosts"),
            Map.entry("scp", "copies files to other hosts over SSH"),
            Map.entry("jsch", "copies files to other hosts over SSH"),
            Map.entry("docker", "drives a container engine"),
            Map.entry("class", "creates an object of any Java class by name and calls it"),
            Map.entry("language", "evaluates a script in any language"),
            Map.entry("controlbus", "stops, starts and removes routes of the service itself (the jar's too)"),
            Map.entry("jdbc", "executes the message body as SQL (use sql: with bound parameters)"),
            Map.entry("xslt", "runs stylesheets, which can call Java"),
            Map.entry("xslt-saxon", "runs stylesheets, which can call Java"),
            Map.entry("xj", "runs stylesheets, which can call Java"),
            Map.entry("xquery", "runs XQuery, which can call Java"),
            Map.entry("velocity", "is a template engine that reaches Java objects"),
            Map.entry("freemarker", "is a template engine that reaches Java objects"),
            Map.entry("mvel", "evaluates MVEL, which calls any Java code"),
            Map.entry("groovy", "evaluates Groovy, which calls any Java code"),
            Map.entry("joor", "compiles and runs Java source"),
            Map.entry("jsh", "runs Java shell snippets"));
    /** Component families refused by prefix. */
    static final Map<String, String> COMPONENT_PREFIXES = Map.of(
            "kubernetes-", "drives the Kubernetes API with the pod's account",
            "openshift-", "drives the OpenShift API with the pod's account");
    /** Expression languages that compile or interpret code with access to Java (keys of the YAML DSL). */
    static final Map<String, String> LANGUAGES = Map.ofEntries(
            Map.entry("groovy", "Groovy"), Map.entry("joor", "Java source (jOOR)"), Map.entry("java", "Java source"),
            Map.entry("jsh", "Java shell"), Map.entry("js", "JavaScript"), Map.entry("javaScript", "JavaScript"),
            Map.entry("python", "Python"), Map.entry("spel", "Spring Expression Language (T(java.lang.Runtime)...)"),
            Map.entry("ognl", "OGNL"), Map.entry("mvel", "MVEL"), Map.entry("csimple", "compiled simple (Java source)"),
            Map.entry("wasm", "WebAssembly"));
    /** Steps and expressions whose endpoint is chosen by the message at run time: the check cannot see it. */
    static final Set<String> DYNAMIC = Set.of("toD", "wireTap", "enrich", "pollEnrich", "recipientList", "routingSlip", "dynamicRouter");
    /** Keys whose text is only logged or shown: a scheme-like word there is not an endpoint. */
    private static final Set<String> PROSE = Set.of("message", "description", "logName");

    /** A URI scheme at the start of a value, of a list element, or of a property placeholder's default. */
    private static final Pattern SCHEME = Pattern.compile("(?:^|[,;|\\s]|\\{\\{[^}:]+:)([a-zA-Z][a-zA-Z0-9+.-]*):");
    /** Objects made from class names in a bean reference. */
    private static final Pattern CLASS_REF = Pattern.compile("#(?:bean:)?class:|\\bbean:class:");
    /** Reflection and the CamelContext reached from simple's method calls. */
    private static final Pattern REFLECTION = Pattern.compile(
            "getClass\\s*\\(|\\.class\\b|forName\\s*\\(|[cC]lassLoader|getRuntime|ProcessBuilder|\\bcamelContext\\b|exchange\\.(?:get)?[cC]ontext");
    private static final Pattern COMMANDS = Pattern.compile("^spring-rabbitmq:(?://)?shop\\.commands\\b");

    private RouteDenylist() {
    }

    static List<RouteProblem> check(RouteFile file) {
        List<RouteProblem> problems = new ArrayList<>();
        if (file.json() != null) {
            List<Object> path = new ArrayList<>();
            walk(file.json(), path, null, false, message -> problems.add(new RouteProblem(file.name(), file.lineOf(path), message)));
        }
        return problems;
    }

    /** Every key and text value, with the key it is under and whether an endpoint chosen at run time holds it. */
    private static void walk(JsonNode node, List<Object> path, String key, boolean dynamic, Consumer<String> report) {
        if (node.isTextual()) {
            valueRules(node.asText().trim(), key, dynamic, report);
        }
        for (int i = 0; node.isArray() && i < node.size(); i++) {
            path.add(i);
            walk(node.get(i), path, key, dynamic, report);
            path.remove(path.size() - 1);
        }
        for (Map.Entry<String, JsonNode> field : node.isObject() ? node.properties() : Set.<Map.Entry<String, JsonNode>>of()) {
            path.add(field.getKey());
            keyRules(field.getKey(), field.getValue(), report);
            walk(field.getValue(), path, field.getKey(), dynamic || DYNAMIC.contains(field.getKey()), report);
            path.remove(path.size() - 1);
        }
    }

    private static void keyRules(String key, JsonNode value, Consumer<String> report) {
        String named = key.equals("language") && value.isTextual() ? value.asText().trim() : key;
        if (LANGUAGES.containsKey(named)) {
            report.accept("language '" + named + "' is not allowed in ROUTES_DIR: " + LANGUAGES.get(named)
                    + " runs arbitrary code in the service (docs/adr/0017)");
        } else if (key.equals("beanType")) {
            report.accept("'beanType' is not allowed in ROUTES_DIR: it creates an object of any Java class by name;"
                    + " refer to one of the service's beans with 'ref' (docs/adr/0017)");
        } else if (COMPONENTS.containsKey(key) && !key.equals("language")) {
            report.accept(component(key));
        }
    }

    private static void valueRules(String v, String under, boolean dynamic, Consumer<String> report) {
        String key = under == null ? "" : under;
        if (!PROSE.contains(key)) {
            Matcher m = SCHEME.matcher(v);
            while (m.find()) {
                if (denied(m.group(1)) != null) {
                    report.accept(component(m.group(1)));
                    break;
                }
            }
            if ((Set.of("uri", "to", "from").contains(key) || DYNAMIC.contains(key)) && !v.contains(":") && denied(v) != null) {
                report.accept(component(v));
            }
            if (COMMANDS.matcher(v).find()) {
                report.accept("the exchange shop.commands is not allowed in ROUTES_DIR: commands (charge, refund,"
                        + " reserve, release) pass only between the services; an integration subscribes to events (docs/adr/0017)");
            }
        }
        if (CLASS_REF.matcher(v).find()) {
            report.accept("'#class:' is not allowed in ROUTES_DIR: it creates an object of any Java class by name;"
                    + " refer to one of the service's beans by name (docs/adr/0017)");
        }
        if (REFLECTION.matcher(v).find()) {
            report.accept("reflection or the CamelContext in an expression is not allowed in ROUTES_DIR"
                    + " (getClass, forName, class loaders, Runtime, camelContext): it reaches any Java code (docs/adr/0017)");
        }
        if (dynamic && (v.startsWith("${") || v.matches("(?s).*[,;]\\s*\\$\\{.*"))) {
            report.accept("an endpoint whose component comes from the message (" + v
                    + ") is not allowed in ROUTES_DIR: write its scheme literally (http:${...} is fine), so that the check sees it"
                    + " (docs/adr/0017)");
        }
    }

    /** Why a scheme is refused, or null. */
    static String denied(String scheme) {
        String s = scheme.toLowerCase();
        return COMPONENTS.getOrDefault(s, COMPONENT_PREFIXES.entrySet().stream().filter(p -> s.startsWith(p.getKey()))
                .map(Map.Entry::getValue).findFirst().orElse(null));
    }

    private static String component(String scheme) {
        return "component '" + scheme + "' is not allowed in ROUTES_DIR: it " + denied(scheme) + " (docs/adr/0017)";
    }
}
