package shop.platform.routes;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.camel.CamelContext;
import org.apache.camel.FailedToCreateRouteException;
import org.apache.camel.NoSuchBeanException;
import org.apache.camel.NoSuchEndpointException;
import org.apache.camel.ResolveEndpointFailedException;
import org.apache.camel.component.bean.MethodNotFoundException;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.impl.engine.RouteService;
import org.apache.camel.model.Model;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.spi.PropertiesSource;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.DefaultRegistry;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;

/**
 * The check of a ROUTES_DIR file, before a swap ({@link RoutesDirectory}) and for {@code POST /admin/routes/check}:
 * syntax, contents, {@link RouteDenylist}, {@link DslSchema}; then its routes created, never started, in a throwaway
 * CamelContext on the service's beans, properties, route configurations and templates; last, route ids no other file
 * and no route of the jar holds. Each problem names its file and line.
 */
public final class RouteChecks {

    /** The outcome: problems (none = the file is good) and the route ids it defines. */
    public record Result(List<RouteProblem> problems, List<String> routeIds) {
        public boolean ok() {
            return problems.isEmpty();
        }
    }

    private static final Pattern PROPERTY = Pattern.compile("[Pp]roperty with key \\[([^\\]]+)\\]");
    private static final Pattern SCHEME = Pattern.compile("scheme: ([\\w+.-]+)");
    private static final Pattern TEMPLATE = Pattern.compile("RouteTemplate with id ([^\\s,]+)");

    private final CamelContext application;

    public RouteChecks(CamelContext application) {
        this.application = application;
    }

    /** What can be told without the service (bin/validate-routes --offline): syntax, contents, denylist, schema. */
    public static List<RouteProblem> withoutBuilding(RouteFile file) {
        if (file.syntaxError() != null) {
            return List.of(file.syntaxError());
        }
        List<RouteProblem> problems = new ArrayList<>(structure(file));
        problems.addAll(RouteDenylist.check(file));
        problems.addAll(DslSchema.check(file));
        return problems;
    }

    /** The whole check. {@code ownIds}: this file's ids now (it may take them over); {@code otherFiles}: id -> file. */
    public Result check(RouteFile file, Set<String> ownIds, Map<String, String> otherFiles) {
        List<RouteProblem> problems = new ArrayList<>(withoutBuilding(file));
        if (!problems.isEmpty()) {
            return new Result(problems, List.of());
        }
        List<String> routeIds = new ArrayList<>();
        try (CheckContext context = new CheckContext(application)) {
            for (RouteFile.Item item : file.items()) {
                context.load(file, item, problems); // each on its own: one broken route does not hide the next one's problems
            }
            problems.addAll(routeConfigurations(file, context));
            routeIds.addAll(context.created);
        } catch (Exception e) {
            problems.add(problemOf(file, e, null));
        }
        for (String id : problems.isEmpty() ? routeIds : List.<String>of()) {
            RouteFile.Item item = file.itemWithId(id);
            int line = item != null ? item.line() : 1;
            if (otherFiles.containsKey(id)) {
                problems.add(new RouteProblem(file.name(), line, "route id '" + id + "' is already defined by "
                        + otherFiles.get(id) + ": route ids must be unique"));
            } else if (application.getRoute(id) != null && !ownIds.contains(id)) {
                problems.add(new RouteProblem(file.name(), line, "route id '" + id
                        + "' is a route of the service itself: a ROUTES_DIR file cannot replace it, choose another id"));
            }
        }
        return new Result(problems, routeIds);
    }

    /**
     * The application's registry (read only: what a file binds stays here), properties, route configurations and
     * templates. Routes are created and never started: nothing consumed, declared or called on the shared beans.
     */
    private static final class CheckContext extends DefaultCamelContext {
        final List<String> created = new ArrayList<>();

        CheckContext(CamelContext application) throws Exception {
            super(false);
            disableJMX();
            setAutoStartup(false);
            getCamelContextExtension().setName(application.getName() + "-routes-check");
            getCamelContextExtension().setRegistry(new DefaultRegistry(application.getRegistry()));
            if (application.getApplicationContextClassLoader() != null) {
                setApplicationContextClassLoader(application.getApplicationContextClassLoader());
            }
            getPropertiesComponent().addPropertiesSource(new ApplicationProperties(application));
            build();
            Model model = application.getCamelContextExtension().getContextPlugin(Model.class);
            Model own = getCamelContextExtension().getContextPlugin(Model.class);
            own.addRouteConfigurations(model.getRouteConfigurationDefinitions());
            own.addRouteTemplateDefinitions(model.getRouteTemplateDefinitions());
            init();
        }

        @Override
        public void startRouteService(RouteService routeService, boolean addingRoutes) {
            created.add(routeService.getRoute().getRouteId());
        }

        /** One item of the file created here: the file with every other item blanked, so lines stay. */
        void load(RouteFile file, RouteFile.Item item, List<RouteProblem> problems) {
            String text = file.text();
            int from = text.lastIndexOf('\n', item.startIndex() - 1) + 1;
            String masked = text.substring(0, from).replaceAll("[^\n]", "") + text.substring(from, item.endIndex())
                    + text.substring(item.endIndex()).replaceAll("[^\n]", "");
            try {
                int before = getRouteDefinitions().size();
                PluginHelper.getRoutesLoader(this).loadRoutes(resource(file.name(), masked));
                startRouteDefinitions(new ArrayList<>(getRouteDefinitions().subList(before, getRouteDefinitions().size())));
            } catch (Exception e) {
                problems.add(problemOf(file, e, item));
            }
        }
    }

    private record ApplicationProperties(CamelContext application) implements PropertiesSource {
        @Override
        public String getName() {
            return "application";
        }

        @Override
        public String getProperty(String name) {
            return application.getPropertiesComponent().resolveProperty(name).orElse(null);
        }
    }

    /** Camel creates a route naming an unknown route configuration silently without it (and its error handling). */
    private static List<RouteProblem> routeConfigurations(RouteFile file, CheckContext context) {
        List<RouteProblem> problems = new ArrayList<>();
        Set<String> known = new TreeSet<>();
        context.getRouteConfigurationDefinitions().forEach(c -> known.add(c.getId()));
        for (RouteDefinition route : context.getRouteDefinitions()) {
            String ids = route.getRouteConfigurationId() == null ? "" : route.getRouteConfigurationId();
            for (String id : ids.split(",")) {
                String wanted = id.trim();
                if (!wanted.isEmpty() && !wanted.contains("*") && !known.contains(wanted)) {
                    RouteFile.Item item = file.itemWithId(route.getRouteId());
                    int from = item != null ? item.line() : 1;
                    int line = file.findLine(wanted, from);
                    problems.add(new RouteProblem(file.name(), line > 0 ? line : from, "route " + route.getRouteId()
                            + ": route configuration '" + wanted + "' does not exist (known: " + known + ")"));
                }
            }
        }
        return problems;
    }

    /** What a ROUTES_DIR file may contain: routes and templated routes, each with an id of its own. */
    static List<RouteProblem> structure(RouteFile file) {
        List<RouteProblem> problems = new ArrayList<>();
        if (file.items().isEmpty()) {
            problems.add(new RouteProblem(file.name(), 1, "the file defines nothing"));
        }
        Set<String> ids = new HashSet<>();
        for (RouteFile.Item item : file.items()) {
            if (!item.kind().equals("route") && !item.kind().equals("templatedRoute")) {
                problems.add(new RouteProblem(file.name(), item.line(), "'" + item.kind()
                        + "' is not allowed in ROUTES_DIR: a route file there holds only 'route' and 'templatedRoute' items"
                        + " (route configurations, templates, beans and rests belong in the service's jar, routes/<service>/)"));
            } else if (item.id() == null || item.id().isBlank()) {
                problems.add(new RouteProblem(file.name(), item.line(), "every route in ROUTES_DIR needs an id ("
                        + (item.kind().equals("templatedRoute") ? "templatedRoute.routeId" : "route.id")
                        + "): it is how the route is replaced when the file changes and removed when the file goes"));
            } else if (!ids.add(item.id())) {
                problems.add(new RouteProblem(file.name(), item.line(), "route id '" + item.id() + "' is defined twice in this file"));
            }
        }
        return problems;
    }

    /** A resource Camel loads as YAML, named after the file. */
    public static Resource resource(String name, String content) {
        return ResourceHelper.fromString(name.endsWith(".yaml") || name.endsWith(".yml") ? name : name + ".yaml", content);
    }

    /** A loading failure as {@code file:line: message}: the line of the YAML mark, else of what the message names. */
    static RouteProblem problemOf(RouteFile file, Throwable failure, RouteFile.Item item) {
        String routeId = null;
        String token = null;
        MarkedYamlEngineException marked = null;
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof FailedToCreateRouteException f && routeId == null) {
                routeId = f.getRouteId();
            }
            if (t instanceof MarkedYamlEngineException m && marked == null) {
                marked = m;
            }
            token = token != null ? token : tokenOf(t);
        }
        RouteFile.Item named = item != null ? item : file.itemWithId(routeId);
        int from = named != null ? named.line() : 1;
        int found = file.findLine(token, from);
        int line = marked != null && marked.getProblemMark().isPresent() ? marked.getProblemMark().get().getLine() + 1
                : found > 0 ? found : from;
        String message = marked != null && marked.getProblem() != null ? RouteFile.oneLine(marked.getProblem()) : describe(failure);
        String route = routeId != null ? routeId : item != null ? item.id() : null;
        return new RouteProblem(file.name(), line, (route != null ? "route " + route + ": " : "") + message);
    }

    /** What to look for in the file to find the line a failure is about. */
    private static String tokenOf(Throwable t) {
        if (t instanceof NoSuchBeanException b && b.getName() != null) {
            return b.getName();
        }
        if (t instanceof ResolveEndpointFailedException r && r.getUri() != null) {
            Matcher m = SCHEME.matcher(String.valueOf(r.getMessage()));
            return m.find() ? m.group(1) + ":" : r.getUri().replaceFirst("\\?.*", "").replace("://", ":");
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
        String message = String.valueOf(t.getMessage());
        for (Pattern p : List.of(PROPERTY, SCHEME, TEMPLATE)) {
            Matcher m = p.matcher(message);
            if (m.find()) {
                return p == SCHEME ? m.group(1) + ":" : m.group(1);
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
        Throwable inner = chain.get(chain.size() - 1);
        Throwable outer = chain.stream().filter(t -> !(t instanceof FailedToCreateRouteException)).findFirst().orElse(inner);
        String text = messageOf(outer);
        if (inner != outer && !text.contains(messageOf(inner))) {
            text = text + ": " + messageOf(inner);
        }
        return text.length() > 600 ? text.substring(0, 600) + "..." : text;
    }

    private static String messageOf(Throwable t) {
        String m = t.getMessage() == null || t.getMessage().isBlank() ? t.getClass().getSimpleName() : t.getMessage();
        return RouteFile.oneLine(t instanceof ClassNotFoundException ? "class not found: " + m : m);
    }
}
