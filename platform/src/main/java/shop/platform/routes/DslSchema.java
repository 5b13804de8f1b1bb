package shop.platform.routes;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;

/**
 * The YAML DSL's JSON schema, as shipped inside camel-yaml-dsl ({@code schema/camelYamlDsl.json}): the same version
 * as the Camel that loads the routes. Reports misspelt keys, unknown steps, wrong nesting and wrong value types, each
 * at its line.
 */
public final class DslSchema {

    private static final String LOCATION = "schema/camelYamlDsl.json";
    private static final Set<String> SCALARS = Set.of("string", "boolean", "number", "integer");
    private static final Schema SCHEMA = load(); // when the first file is checked: the class is initialised then

    private DslSchema() {
    }

    private static Schema load() {
        try (InputStream in = DslSchema.class.getClassLoader().getResourceAsStream(LOCATION)) {
            if (in == null) {
                throw new IllegalStateException(LOCATION + " not on the classpath (camel-yaml-dsl)");
            }
            JsonNode tree = new ObjectMapper().readTree(in);
            scalarsAsCamelReadsThem(tree);
            return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_4).getSchema(SchemaLocation.of("classpath:" + LOCATION), tree);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + LOCATION, e);
        }
    }

    /**
     * One problem per element, the most telling message of its errors, and none for an element with a deeper error
     * (an alternative, anyOf/oneOf, that failed higher up because of it says nothing more).
     */
    public static List<RouteProblem> check(RouteFile file) {
        if (file.json() == null) {
            return List.of();
        }
        Map<List<Object>, Error> byPath = new LinkedHashMap<>();
        SCHEMA.validate(file.json()).forEach(e -> byPath.merge(path(e), e, (known, next) -> rank(next) < rank(known) ? next : known));
        return byPath.entrySet().stream()
                .filter(x -> byPath.keySet().stream().noneMatch(p -> p.size() > x.getKey().size() && p.subList(0, x.getKey().size()).equals(x.getKey())))
                .sorted(Comparator.comparingInt((Map.Entry<List<Object>, Error> x) -> -x.getKey().size()))
                .map(x -> new RouteProblem(file.name(), file.lineOf(x.getKey()), "schema: " + describe(x.getValue(), x.getKey())))
                .sorted(Comparator.comparingInt(RouteProblem::line)).toList();
    }

    /**
     * Camel reads every scalar option as text and converts it itself: {@code maximumRedeliveryDelay: 30000} and
     * {@code autoStartup: "{{x.enabled}}"} are fine although the schema types them string and boolean. So an option
     * typed as one scalar accepts any scalar here; a value that cannot be converted fails when the file is loaded.
     */
    private static void scalarsAsCamelReadsThem(JsonNode node) {
        if (node instanceof ObjectNode object) {
            if (object.path("deprecated").isBoolean()) {
                object.remove("deprecated"); // an annotation draft 4 does not know: no bearing on validity
            }
            if (object.get("properties") instanceof ObjectNode properties) {
                properties.elements().forEachRemaining(p -> {
                    if (p instanceof ObjectNode property && SCALARS.contains(property.path("type").asText())) {
                        ArrayNode any = property.putArray("type");
                        SCALARS.forEach(any::add);
                    }
                });
            }
        }
        node.elements().forEachRemaining(DslSchema::scalarsAsCamelReadsThem);
    }

    /** The element an error is about, as keys and indexes: for "property not allowed" the property itself. */
    private static List<Object> path(Error e) {
        List<Object> path = new ArrayList<>();
        for (int i = 0; i < e.getInstanceLocation().getNameCount(); i++) {
            Object element = e.getInstanceLocation().getElement(i);
            path.add(element instanceof Number n ? Integer.valueOf(n.intValue()) : String.valueOf(element));
        }
        if ("additionalProperties".equals(e.getKeyword()) && e.getProperty() != null) {
            path.add(e.getProperty());
        }
        return path;
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
        if ("additionalProperties".equals(e.getKeyword()) && e.getProperty() != null) {
            return "'" + e.getProperty() + "' is not a known option or step here ("
                    + (path.size() <= 1 ? "top level" : "in " + pathText(path.subList(0, path.size() - 1))) + ")";
        }
        String message = Objects.toString(e.getMessage(), "");
        int colon = message.indexOf(": ");
        if (message.startsWith("$") && colon > 0) {
            message = message.substring(colon + 2); // networknt starts with the JSON path: said the YAML way instead
        }
        return pathText(path) + ": " + RouteFile.oneLine(message);
    }

    private static String pathText(List<Object> path) {
        StringBuilder b = new StringBuilder();
        for (Object element : path) {
            b.append(element instanceof Integer i ? "[" + i + "]" : (b.length() > 0 ? "." : "") + element);
        }
        return b.length() == 0 ? "(file)" : b.toString();
    }
}
