package shop.platform.routes;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.NodePath;

/**
 * The YAML DSL's JSON schema, as shipped inside camel-yaml-dsl ({@code schema/camelYamlDsl.json}): the
 * same version as the Camel that loads the routes. Reports misspelt keys, unknown steps, wrong nesting and
 * wrong value types, each at its line.
 */
public final class DslSchema {

    public static final String LOCATION = "schema/camelYamlDsl.json";

    private static volatile Schema schema;

    private DslSchema() {
    }

    private static Schema schema() {
        Schema s = schema;
        if (s == null) {
            synchronized (DslSchema.class) {
                s = schema;
                if (s == null) {
                    try (InputStream in = DslSchema.class.getClassLoader().getResourceAsStream(LOCATION)) {
                        if (in == null) {
                            throw new IllegalStateException(LOCATION + " not on the classpath (camel-yaml-dsl)");
                        }
                        JsonNode tree = new ObjectMapper().readTree(in);
                        scalarsAsCamelReadsThem(tree);
                        s = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_4)
                                .getSchema(SchemaLocation.of("classpath:" + LOCATION), tree);
                    } catch (java.io.IOException e) {
                        throw new IllegalStateException("cannot read " + LOCATION, e);
                    }
                    schema = s;
                }
            }
        }
        return s;
    }

    /**
     * Schema problems of a parsed file, one per element: where alternatives ({@code anyOf}/{@code oneOf})
     * failed, the deepest and most specific message is kept.
     */
    public static List<RouteProblem> check(RouteFile file) {
        if (file.json() == null) {
            return List.of();
        }
        List<Error> errors = schema().validate(file.json());
        // deepest location first; for each location keep the most telling message
        Map<String, Error> byLocation = new LinkedHashMap<>();
        for (Error e : errors) {
            String at = locationOf(e).toString();
            Error known = byLocation.get(at);
            if (known == null || rank(e) < rank(known)) {
                byLocation.put(at, e);
            }
        }
        List<Error> kept = new ArrayList<>(byLocation.values());
        kept.sort(Comparator.comparingInt((Error e) -> -depth(locationOf(e))));
        List<Error> reported = new ArrayList<>();
        for (Error e : kept) {
            List<Object> path = path(locationOf(e));
            boolean coveredByDeeper = reported.stream().anyMatch(r -> startsWith(path(locationOf(r)), path));
            if (!coveredByDeeper) {
                reported.add(e);
            }
        }
        List<RouteProblem> problems = new ArrayList<>();
        for (Error e : reported) {
            List<Object> path = path(locationOf(e));
            problems.add(new RouteProblem(file.name(), file.lineOf(path), "schema: " + describe(e, path)));
        }
        problems.sort(Comparator.comparingInt(RouteProblem::line));
        return problems;
    }

    private static final Set<String> SCALARS = Set.of("string", "boolean", "number", "integer");

    /**
     * Camel reads every scalar option as text and converts it itself: {@code maximumRedeliveryDelay: 30000} and
     * {@code autoStartup: "{{x.enabled}}"} are fine although the schema types them string and boolean. So an
     * option typed as one scalar accepts any scalar here; a value that cannot be converted fails when the file is
     * loaded, with Camel's message. Structure (object, list, which keys) is checked as the schema says.
     */
    private static void scalarsAsCamelReadsThem(JsonNode node) {
        if (node instanceof ObjectNode object) {
            // an annotation draft 4 does not know (the validator would warn about it): no bearing on validity
            if (object.path("deprecated").isBoolean()) {
                object.remove("deprecated");
            }
            if (object.get("properties") instanceof ObjectNode properties) {
                properties.fields().forEachRemaining(p -> {
                    if (p.getValue() instanceof ObjectNode property && property.path("type").isTextual()
                            && SCALARS.contains(property.path("type").asText())) {
                        ArrayNode any = property.arrayNode();
                        SCALARS.forEach(any::add);
                        property.set("type", any);
                    }
                });
            }
            object.elements().forEachRemaining(DslSchema::scalarsAsCamelReadsThem);
        } else if (node instanceof ArrayNode array) {
            array.elements().forEachRemaining(DslSchema::scalarsAsCamelReadsThem);
        }
    }

    /** The element an error is about: for "property not allowed" the property itself. */
    private static NodePath locationOf(Error e) {
        NodePath at = e.getInstanceLocation();
        if ("additionalProperties".equals(e.getKeyword()) && e.getProperty() != null) {
            return at.append(e.getProperty());
        }
        return at;
    }

    private static int rank(Error e) {
        return switch (e.getKeyword() == null ? "" : e.getKeyword()) {
            case "additionalProperties", "required", "type", "enum" -> 0;
            case "maxProperties", "minProperties" -> 1;
            case "anyOf", "oneOf", "not" -> 3;
            default -> 2;
        };
    }

    private static String describe(Error e, List<Object> path) {
        String where = pathText(path);
        if ("additionalProperties".equals(e.getKeyword()) && e.getProperty() != null) {
            return "'" + e.getProperty() + "' is not a known option or step here (" + parentText(path) + ")";
        }
        String message = e.getMessage();
        // networknt prefixes the JSON path; say it the YAML way
        if (message != null && message.startsWith("$")) {
            int colon = message.indexOf(": ");
            message = colon > 0 ? message.substring(colon + 2) : message;
        }
        return where + ": " + RouteFile.oneLine(message);
    }

    private static String pathText(List<Object> path) {
        StringBuilder b = new StringBuilder();
        for (Object element : path) {
            if (element instanceof Integer i) {
                b.append('[').append(i).append(']');
            } else {
                if (b.length() > 0) {
                    b.append('.');
                }
                b.append(element);
            }
        }
        return b.length() == 0 ? "(file)" : b.toString();
    }

    private static String parentText(List<Object> path) {
        return path.size() <= 1 ? "top level" : "in " + pathText(path.subList(0, path.size() - 1));
    }

    private static List<Object> path(NodePath p) {
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < p.getNameCount(); i++) {
            Object element = p.getElement(i);
            out.add(element instanceof Number n ? Integer.valueOf(n.intValue()) : String.valueOf(element));
        }
        return out;
    }

    private static int depth(NodePath p) {
        return p.getNameCount();
    }

    private static boolean startsWith(List<Object> longer, List<Object> prefix) {
        return longer.size() > prefix.size() && longer.subList(0, prefix.size()).equals(prefix);
    }
}
