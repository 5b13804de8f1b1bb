package shop.platform.routes;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * A route file as text and as a YAML tree with line numbers: what the checks need before Camel sees it -
 * the JSON form for the schema, the line of every element, the top-level items (kind, id, line), and the
 * bean names the file refers to (with the methods it calls on them).
 */
public final class RouteFile {

    /** A top-level element of the file: {@code route}, {@code templatedRoute}, {@code routeConfiguration}, ... */
    public record Item(String kind, String id, int line, int startIndex, int endIndex) {
    }

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    /** {@code #name}, {@code #bean:name} as a whole value or as an endpoint option value ({@code x=#name}). */
    private static final Pattern HASH_REF = Pattern.compile("(?:^|[=&?,])#(?:bean:)?([A-Za-z_$][\\w$.-]*)");
    /** keys whose scalar value names a bean (besides {@code ref} and {@code *Ref}). */
    private static final Set<String> BEAN_KEYS = Set.of("idempotentRepository", "aggregationStrategy", "circuitBreaker",
            "executorService", "transactionManager", "dataSource", "errorHandlerRef");

    private final String name;
    private final String text;
    private final String[] lines;
    private final JsonNode json;
    private final Map<String, Integer> lineOfPath = new LinkedHashMap<>();
    private final List<Item> items = new ArrayList<>();
    private final Map<String, Integer> beanRefs = new LinkedHashMap<>();
    private final Map<String, Set<String>> beanMethods = new LinkedHashMap<>();
    private final RouteProblem syntaxError;

    private RouteFile(String name, String text) {
        this.name = name;
        this.text = text;
        this.lines = text.split("\r?\n", -1);
        JsonNode tree = null;
        RouteProblem error = null;
        try {
            Iterator<Node> documents = new Compose(LoadSettings.builder().setLabel(name).build())
                    .composeAllFromString(text).iterator();
            Node root = documents.hasNext() ? documents.next() : null;
            if (documents.hasNext()) {
                error = new RouteProblem(name, 1, "more than one YAML document in the file (---): put each in a file of its own");
            } else if (root == null) {
                error = new RouteProblem(name, 1, "the file is empty");
            } else {
                tree = convert(root, "");
                collectItems(root);
                collectReferences(root);
                if (!(root instanceof SequenceNode)) {
                    error = new RouteProblem(name, line(root), "a route file is a YAML list (- route: ..., - templatedRoute: ...), found "
                            + root.getNodeType().name().toLowerCase());
                }
            }
        } catch (MarkedYamlEngineException e) {
            error = new RouteProblem(name, e.getProblemMark().or(e::getContextMark).map(m -> m.getLine() + 1).orElse(1),
                    "YAML syntax: " + oneLine(e.getProblem() != null ? e.getProblem() : e.getMessage())
                            + (e.getContext() != null ? " (" + oneLine(e.getContext()) + ")" : ""));
        } catch (YamlEngineException e) {
            error = new RouteProblem(name, 1, "YAML syntax: " + oneLine(e.getMessage()));
        }
        this.json = tree;
        this.syntaxError = error;
    }

    public static RouteFile parse(String name, String text) {
        return new RouteFile(name, text);
    }

    public String name() {
        return name;
    }

    public String text() {
        return text;
    }

    /** The YAML syntax error, when the text is not a YAML list at all. */
    public RouteProblem syntaxError() {
        return syntaxError;
    }

    /** The file as JSON, for the schema; null after a syntax error. */
    public JsonNode json() {
        return json;
    }

    public List<Item> items() {
        return items;
    }

    /** Bean names the file refers to, each with the line of its first mention. */
    public Map<String, Integer> beanRefs() {
        return beanRefs;
    }

    /** Method names the file calls on each bean ({@code ref} + {@code method}). */
    public Map<String, Set<String>> beanMethods() {
        return beanMethods;
    }

    /** Line of an element, by its path of keys and indexes ({@code 0/route/from/steps/2}), or of its nearest parent. */
    public int lineOf(List<Object> path) {
        List<Object> p = new ArrayList<>(path);
        while (true) {
            Integer line = lineOfPath.get(key(p));
            if (line != null) {
                return line;
            }
            if (p.isEmpty()) {
                return 1;
            }
            p.remove(p.size() - 1);
        }
    }

    /** The first line, from {@code fromLine} on, that mentions {@code token}; 0 when none does. */
    public int findLine(String token, int fromLine) {
        if (token == null || token.isBlank()) {
            return 0;
        }
        for (int i = Math.max(fromLine, 1); i <= lines.length; i++) {
            String line = lines[i - 1];
            int hash = line.indexOf(" #");
            String code = line.trim().startsWith("#") ? "" : hash >= 0 ? line.substring(0, hash) : line;
            if (code.contains(token)) {
                return i;
            }
        }
        return fromLine > 1 ? findLine(token, 1) : 0;
    }

    /** The item a line belongs to. */
    public Item itemAt(int line) {
        Item found = null;
        for (Item item : items) {
            if (item.line() <= line) {
                found = item;
            }
        }
        return found;
    }

    public Item itemWithId(String id) {
        for (Item item : items) {
            if (id != null && id.equals(item.id())) {
                return item;
            }
        }
        return null;
    }

    /** The text of the given top-level items only (for instance the route configurations of a jar file). */
    public String excerpt(String kind) {
        StringBuilder out = new StringBuilder();
        for (Item item : items) {
            if (item.kind().equals(kind)) {
                String part = text.substring(lineStart(item.startIndex()), item.endIndex());
                out.append(part).append('\n');
            }
        }
        return out.toString();
    }

    private int lineStart(int index) {
        int i = index;
        while (i > 0 && text.charAt(i - 1) != '\n') {
            i--;
        }
        return i;
    }

    // --- tree walking ---------------------------------------------------------------------------------

    private JsonNode convert(Node node, String path) {
        lineOfPath.putIfAbsent(path, line(node));
        if (node instanceof MappingNode mapping) {
            ObjectNode object = JSON.objectNode();
            for (NodeTuple tuple : mapping.getValue()) {
                String key = scalar(tuple.getKeyNode());
                String child = join(path, key);
                lineOfPath.put(child, line(tuple.getKeyNode()));
                object.set(key, convert(tuple.getValueNode(), child));
                lineOfPath.put(child, line(tuple.getKeyNode()));
            }
            return object;
        }
        if (node instanceof SequenceNode sequence) {
            ArrayNode array = JSON.arrayNode();
            int i = 0;
            for (Node item : sequence.getValue()) {
                array.add(convert(item, join(path, Integer.toString(i++))));
            }
            return array;
        }
        ScalarNode scalar = (ScalarNode) node;
        String value = scalar.getValue();
        Tag tag = scalar.getTag();
        try {
            if (Tag.INT.equals(tag)) {
                return JSON.numberNode(new BigInteger(value.replace("_", "")));
            }
            if (Tag.FLOAT.equals(tag)) {
                return JSON.numberNode(Double.parseDouble(value));
            }
        } catch (NumberFormatException e) {
            return JSON.textNode(value);
        }
        if (Tag.BOOL.equals(tag)) {
            return JSON.booleanNode(Boolean.parseBoolean(value.toLowerCase()));
        }
        if (Tag.NULL.equals(tag)) {
            return JSON.nullNode();
        }
        return JSON.textNode(value);
    }

    private void collectItems(Node root) {
        if (!(root instanceof SequenceNode sequence)) {
            return;
        }
        for (Node node : sequence.getValue()) {
            int start = node.getStartMark().map(Mark::getIndex).orElse(0);
            int end = node.getEndMark().map(Mark::getIndex).orElse(text.length());
            if (node instanceof MappingNode mapping && !mapping.getValue().isEmpty()) {
                NodeTuple first = mapping.getValue().get(0);
                String kind = scalar(first.getKeyNode());
                String id = null;
                if (first.getValueNode() instanceof MappingNode body) {
                    id = value(body, kind.equals("templatedRoute") ? "routeId" : "id");
                }
                items.add(new Item(kind, id, line(first.getKeyNode()), start, end));
            } else {
                items.add(new Item("?", null, line(node), start, end));
            }
        }
    }

    private void collectReferences(Node node) {
        if (node instanceof MappingNode mapping) {
            String ref = null;
            String method = null;
            for (NodeTuple tuple : mapping.getValue()) {
                String key = scalar(tuple.getKeyNode());
                Node value = tuple.getValueNode();
                if (value instanceof ScalarNode s) {
                    String v = s.getValue();
                    if ((key.equals("ref") || key.endsWith("Ref") || BEAN_KEYS.contains(key)) && !v.isBlank()) {
                        String[] named = beanAndMethod(v);
                        addRef(named[0], line(s));
                        if (named[1] != null) {
                            addMethod(named[0], named[1]);
                        }
                        if (key.equals("ref")) {
                            ref = named[0];
                        }
                    } else if (key.equals("method")) {
                        method = v;
                    } else if (key.equals("uri") && v.startsWith("bean:")) {
                        String[] named = beanAndMethod(v.substring(5));
                        addRef(named[0], line(s));
                        if (named[1] != null) {
                            addMethod(named[0], named[1]);
                        }
                    }
                }
                collectReferences(tuple.getKeyNode());
                collectReferences(value);
            }
            if (ref != null && method != null) {
                addMethod(ref, method);
            }
        } else if (node instanceof SequenceNode sequence) {
            sequence.getValue().forEach(this::collectReferences);
        } else if (node instanceof ScalarNode scalar) {
            Matcher m = HASH_REF.matcher(scalar.getValue());
            while (m.find()) {
                String bean = m.group(1);
                if (!bean.startsWith("type:") && !bean.startsWith("class:") && !bean.contains("{{")) {
                    addRef(bean, line(scalar));
                }
            }
        }
    }

    /** {@code name}, {@code #name}, {@code #bean:name}, {@code name?method=m}, {@code name.m} (OGNL) -> [name, method]. */
    private static String[] beanAndMethod(String value) {
        String v = value.trim();
        if (v.startsWith("#")) {
            v = v.substring(1);
        }
        if (v.startsWith("bean:")) {
            v = v.substring(5);
        }
        String method = null;
        int q = v.indexOf('?');
        if (q >= 0) {
            Matcher m = Pattern.compile("method=([^&]+)").matcher(v.substring(q + 1));
            method = m.find() ? m.group(1) : null;
            v = v.substring(0, q);
        }
        return new String[] {v, method};
    }

    private void addRef(String bean, int line) {
        if (!bean.isBlank() && !bean.contains("{{") && !bean.contains("${")) {
            beanRefs.putIfAbsent(bean, line);
        }
    }

    private void addMethod(String bean, String method) {
        String m = method.contains("(") ? method.substring(0, method.indexOf('(')) : method;
        m = m.trim();
        if (!m.isEmpty() && !bean.contains("{{")) {
            beanMethods.computeIfAbsent(bean, b -> new LinkedHashSet<>()).add(m);
        }
    }

    private static String value(MappingNode mapping, String key) {
        for (NodeTuple tuple : mapping.getValue()) {
            if (key.equals(scalar(tuple.getKeyNode())) && tuple.getValueNode() instanceof ScalarNode s) {
                return s.getValue();
            }
        }
        return null;
    }

    private static String scalar(Node node) {
        return node instanceof ScalarNode s ? s.getValue() : String.valueOf(node);
    }

    private static int line(Node node) {
        return node.getStartMark().map(m -> m.getLine() + 1).orElse(1);
    }

    private static String join(String path, String key) {
        return path.isEmpty() ? key : path + "/" + key;
    }

    private static String key(List<Object> path) {
        StringBuilder b = new StringBuilder();
        for (Object element : path) {
            if (b.length() > 0) {
                b.append('/');
            }
            b.append(element);
        }
        return b.toString();
    }

    static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s*\\R\\s*", " ").trim();
    }
}
