package shop.platform.routes;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.camel.FailedToCreateRouteException;
import org.apache.camel.NoSuchBeanException;
import org.apache.camel.NoSuchEndpointException;
import org.apache.camel.ResolveEndpointFailedException;
import org.apache.camel.component.bean.MethodNotFoundException;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;

/**
 * The checks every route file goes through, in the live reload and in the validator alike: YAML syntax,
 * what a file may contain (in ROUTES_DIR: routes with ids, nothing on the {@link RouteDenylist}), the YAML DSL schema, then loading it into a throwaway CamelContext (routes
 * created, none started) so that unknown components, endpoints, beans, templates, route configurations,
 * classes and properties surface. Each problem names its file and line.
 */
public final class RouteChecks {

    /** What a file may hold: anything (files in the jar), or only routes with ids (files in ROUTES_DIR). */
    public enum Mode {
        CLASSPATH, ROUTES_DIR
    }

    /** The outcome: problems (none = the file is good), the route ids it defines, and remarks that are not errors. */
    public record Result(List<RouteProblem> problems, List<String> routeIds, List<String> notes) {
        public boolean ok() {
            return problems.isEmpty();
        }
    }

    /** Kinds a ROUTES_DIR file may contain: they can be removed again without a restart. */
    public static final Set<String> ROUTES_DIR_KINDS = Set.of("route", "templatedRoute");

    private static final Pattern PROPERTY = Pattern.compile("[Pp]roperty with key \\[([^\\]]+)\\]");
    private static final Pattern SCHEME = Pattern.compile("scheme: ([\\w+.-]+)");
    private static final Pattern TEMPLATE = Pattern.compile("RouteTemplate with id ([^\\s,]+)");

    private final ValidationEnvironment environment;

    public RouteChecks(ValidationEnvironment environment) {
        this.environment = environment;
    }

    public Result check(RouteFile file, Mode mode) {
        if (file.syntaxError() != null) {
            return new Result(List.of(file.syntaxError()), List.of(), List.of());
        }
        List<RouteProblem> problems = new ArrayList<>(structure(file, mode));
        if (mode == Mode.ROUTES_DIR) {
            problems.addAll(RouteDenylist.check(file));
        }
        problems.addAll(DslSchema.check(file));
        if (!problems.isEmpty()) {
            return new Result(problems, List.of(), List.of());
        }
        List<String> routeIds = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        CheckContext context = null;
        try {
            context = environment.newContext(file);
            // initialised, not started: routes are created explicitly below (CheckContext never starts them)
            context.init();
            // whatever routes depend on first (configurations, templates, beans), then each route on its own, so
            // that one broken route does not hide the problems of the next
            List<RouteFile.Item> supporting = file.items().stream().filter(i -> !isRoute(i)).toList();
            if (!supporting.isEmpty()) {
                RouteProblem p = load(context, file, supporting, null);
                if (p != null) {
                    problems.add(p);
                    return new Result(problems, routeIds, notes);
                }
            }
            for (RouteFile.Item item : file.items()) {
                if (isRoute(item)) {
                    RouteProblem p = load(context, file, List.of(item), item);
                    if (p != null) {
                        problems.add(p);
                    }
                }
            }
            problems.addAll(routeConfigurations(file, context));
            problems.addAll(environment.afterLoad(file, context));
            routeIds.addAll(context.createdRoutes());
        } catch (Exception e) {
            problems.add(problemOf(file, e, null));
        } finally {
            if (context != null) {
                try {
                    context.stop();
                } catch (RuntimeException ignored) {
                    // a throwaway
                }
            }
        }
        return new Result(problems, routeIds, notes);
    }

    private static boolean isRoute(RouteFile.Item item) {
        return item.kind().equals("route") || item.kind().equals("templatedRoute") || item.kind().equals("from");
    }

    /**
     * A route naming a route configuration that does not exist is created by Camel without it - silently, and
     * without the error handling the author asked for (message-consumer: retries, dead letters). Refused here.
     */
    private static List<RouteProblem> routeConfigurations(RouteFile file, CheckContext context) {
        List<RouteProblem> problems = new ArrayList<>();
        Set<String> known = new HashSet<>();
        context.getRouteConfigurationDefinitions().forEach(c -> known.add(c.getId()));
        for (org.apache.camel.model.RouteDefinition route : context.getRouteDefinitions()) {
            String ids = route.getRouteConfigurationId();
            if (ids == null || ids.isBlank()) {
                continue;
            }
            for (String id : ids.split(",")) {
                String wanted = id.trim();
                if (!wanted.isEmpty() && !wanted.contains("*") && !known.contains(wanted)) {
                    RouteFile.Item item = file.itemWithId(route.getRouteId());
                    int from = item != null ? item.line() : 1;
                    int line = file.findLine(wanted, from);
                    problems.add(new RouteProblem(file.name(), line > 0 ? line : from, "route " + route.getRouteId()
                            + ": route configuration '" + wanted + "' does not exist (known: " + new java.util.TreeSet<>(known) + ")"));
                }
            }
        }
        return problems;
    }

    /** What a file may contain, and route ids: present (ROUTES_DIR) and not repeated. */
    static List<RouteProblem> structure(RouteFile file, Mode mode) {
        List<RouteProblem> problems = new ArrayList<>();
        if (file.items().isEmpty()) {
            problems.add(new RouteProblem(file.name(), 1, "the file defines nothing"));
        }
        Set<String> ids = new HashSet<>();
        for (RouteFile.Item item : file.items()) {
            if (mode == Mode.ROUTES_DIR && !ROUTES_DIR_KINDS.contains(item.kind())) {
                problems.add(new RouteProblem(file.name(), item.line(), "'" + item.kind()
                        + "' is not allowed in ROUTES_DIR: a route file there holds only 'route' and 'templatedRoute' items"
                        + " (route configurations, templates, beans and rests belong in the service's jar, routes/<service>/)"));
                continue;
            }
            if (mode == Mode.ROUTES_DIR && (item.id() == null || item.id().isBlank())) {
                problems.add(new RouteProblem(file.name(), item.line(), "every route in ROUTES_DIR needs an id ("
                        + (item.kind().equals("templatedRoute") ? "templatedRoute.routeId" : "route.id")
                        + "): it is how the route is replaced when the file changes and removed when the file goes"));
            }
            if (item.id() != null && isRoute(item) && !ids.add(item.id())) {
                problems.add(new RouteProblem(file.name(), item.line(), "route id '" + item.id() + "' is defined twice in this file"));
            }
        }
        return problems;
    }

    private RouteProblem load(CheckContext context, RouteFile file, List<RouteFile.Item> items, RouteFile.Item item) {
        try {
            Set<org.apache.camel.model.RouteDefinition> before = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
            before.addAll(context.getRouteDefinitions());
            PluginHelper.getRoutesLoader(context).loadRoutes(resource(file.name(), masked(file, items)));
            List<org.apache.camel.model.RouteDefinition> added = context.getRouteDefinitions().stream().filter(d -> !before.contains(d)).toList();
            context.startRouteDefinitions(added);
            return null;
        } catch (Exception e) {
            return problemOf(file, e, item);
        }
    }

    /** A resource Camel loads as YAML, named after the file. */
    public static Resource resource(String name, String content) {
        String location = name.endsWith(".yaml") || name.endsWith(".yml") ? name : name + ".yaml";
        return ResourceHelper.fromString(location, content);
    }

    /** The file with every line outside the given items blanked: same lines and offsets, only those items. */
    static String masked(RouteFile file, List<RouteFile.Item> items) {
        String text = file.text();
        char[] out = text.toCharArray();
        boolean[] keep = new boolean[out.length];
        for (RouteFile.Item item : items) {
            int from = item.startIndex();
            while (from > 0 && text.charAt(from - 1) != '\n') {
                from--;
            }
            for (int i = from; i < Math.min(item.endIndex(), out.length); i++) {
                keep[i] = true;
            }
        }
        for (int i = 0; i < out.length; i++) {
            if (!keep[i] && out[i] != '\n' && out[i] != '\r') {
                out[i] = ' ';
            }
        }
        return new String(out);
    }

    /** A loading failure as {@code file:line: message}: the line of the YAML mark, else of what the message names. */
    static RouteProblem problemOf(RouteFile file, Throwable failure, RouteFile.Item item) {
        int from = item != null ? item.line() : 1;
        String routeId = null;
        String token = null;
        Integer markedLine = null;
        String markedMessage = null;
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof FailedToCreateRouteException f && routeId == null) {
                routeId = f.getRouteId();
            }
            if (t instanceof MarkedYamlEngineException m && markedLine == null) {
                markedLine = m.getProblemMark().map(x -> x.getLine() + 1).orElse(null);
                markedMessage = m.getProblem();
            }
            if (token == null) {
                token = tokenOf(t);
            }
        }
        if (item == null && routeId != null && file.itemWithId(routeId) != null) {
            from = file.itemWithId(routeId).line();
        }
        String message = markedMessage != null ? RouteFile.oneLine(markedMessage) : describe(failure);
        int line;
        if (markedLine != null) {
            line = markedLine;
        } else {
            int found = file.findLine(token, from);
            line = found > 0 ? found : from;
        }
        String prefix = routeId != null ? "route " + routeId + ": " : item != null && item.id() != null ? "route " + item.id() + ": " : "";
        return new RouteProblem(file.name(), line, prefix + message);
    }

    /** What to look for in the file to find the line a failure is about. */
    private static String tokenOf(Throwable t) {
        if (t instanceof NoSuchBeanException b && b.getName() != null) {
            return b.getName();
        }
        if (t instanceof ResolveEndpointFailedException r && r.getUri() != null) {
            Matcher m = SCHEME.matcher(String.valueOf(r.getMessage()));
            if (m.find()) {
                return m.group(1) + ":";
            }
            String uri = r.getUri();
            int q = uri.indexOf('?');
            String base = q > 0 ? uri.substring(0, q) : uri;
            return base.replace("://", ":");
        }
        if (t instanceof NoSuchEndpointException e && e.getUri() != null) {
            int colon = e.getUri().indexOf(':');
            return colon > 0 ? e.getUri().substring(0, colon + 1) : e.getUri();
        }
        if (t instanceof MethodNotFoundException m) {
            return m.getMethodName();
        }
        if (t instanceof ClassNotFoundException c) {
            return c.getMessage();
        }
        if (t.getMessage() != null) {
            Matcher m = PROPERTY.matcher(t.getMessage());
            if (m.find()) {
                return m.group(1);
            }
            Matcher s = SCHEME.matcher(t.getMessage());
            if (s.find()) {
                return s.group(1) + ":";
            }
            Matcher template = TEMPLATE.matcher(t.getMessage());
            if (template.find()) {
                return template.group(1);
            }
        }
        return null;
    }

    /** The failure in one line: what the reifier said and its innermost cause, without Camel's dump of the whole route. */
    static String describe(Throwable failure) {
        List<Throwable> chain = new ArrayList<>();
        for (Throwable t = failure; t != null && chain.size() < 12; t = t.getCause() == t ? null : t.getCause()) {
            chain.add(t);
        }
        Throwable outer = chain.stream().filter(t -> !(t instanceof FailedToCreateRouteException)).findFirst()
                .orElse(chain.get(chain.size() - 1));
        Throwable inner = chain.get(chain.size() - 1);
        String text = messageOf(outer);
        String innermost = messageOf(inner);
        if (inner != outer && !text.contains(innermost)) {
            text = text + ": " + innermost;
        }
        return text.length() > 600 ? text.substring(0, 600) + "..." : text;
    }

    private static String messageOf(Throwable t) {
        String m = t.getMessage();
        if (m == null || m.isBlank()) {
            m = t.getClass().getSimpleName();
        }
        if (t instanceof ClassNotFoundException) {
            m = "class not found: " + m;
        }
        return RouteFile.oneLine(m);
    }
}
