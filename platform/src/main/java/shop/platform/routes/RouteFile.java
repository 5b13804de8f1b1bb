package shop.platform.routes;

import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.snakeyaml.engine.v2.api.ConstructNode;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.constructor.StandardConstructor;
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
 * A route file as text and as the YAML nodes of snakeyaml-engine (the parser Camel's YAML DSL uses), whose marks give
 * every element its line; its top-level items, and its JSON form for the schema and the denylist (null, like the
 * nodes, after a syntax error).
 */
public record RouteFile(String name, String text, Node yaml, JsonNode json, List<Item> items, RouteProblem syntaxError) {

    /** A top-level element of the file: {@code route}, {@code templatedRoute}, {@code routeConfiguration}, ... */
    public record Item(String kind, String id, int line, int startIndex, int endIndex) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    public static RouteFile parse(String name, String text) {
        LoadSettings settings = LoadSettings.builder().setLabel(name).setAllowDuplicateKeys(true).build();
        RouteProblem error;
        try {
            Node root = new Compose(settings).composeString(text).orElse(null);
            if (root instanceof SequenceNode sequence) {
                JsonNode json = JSON.valueToTree(new StandardConstructor(settings) {
                    @Override // a tag of no meaning to YAML (!foo), which Camel ignores: read as what it tags
                    protected Optional<ConstructNode> findConstructorFor(Node node) {
                        return super.findConstructorFor(node).or(() -> Optional.ofNullable(tagConstructors.get(
                                node instanceof ScalarNode ? Tag.STR : node instanceof SequenceNode ? Tag.SEQ : Tag.MAP)));
                    }
                }.constructSingleDocument(Optional.of(root)));
                return new RouteFile(name, text, root, json, sequence.getValue().stream().map(n -> item(n, text)).toList(), null);
            }
            error = root == null ? new RouteProblem(name, 1, "the file is empty") : new RouteProblem(name, line(root),
                    "a route file is a YAML list (- route: ..., - templatedRoute: ...), found " + root.getNodeType().name().toLowerCase());
        } catch (MarkedYamlEngineException e) {
            error = new RouteProblem(name, e.getProblemMark().or(e::getContextMark).map(m -> m.getLine() + 1).orElse(1),
                    "YAML syntax: " + oneLine(e.getProblem() != null ? e.getProblem() : e.getMessage())
                            + (e.getContext() != null ? " (" + oneLine(e.getContext()) + ")" : ""));
        } catch (YamlEngineException e) {
            error = new RouteProblem(name, 1, "YAML syntax: " + oneLine(e.getMessage()));
        }
        return new RouteFile(name, text, null, null, List.of(), error);
    }

    public Item itemWithId(String id) {
        return items.stream().filter(i -> id != null && id.equals(i.id())).findFirst().orElse(null);
    }

    /** Line of an element by its path of keys and indexes ({@code 0, route, from}): of its key, else of its nearest parent. */
    public int lineOf(List<Object> path) {
        Node node = yaml;
        int line = line(yaml);
        for (Object step : path) {
            Node next = null;
            if (node instanceof SequenceNode s && step instanceof Integer i && i < s.getValue().size()) {
                next = s.getValue().get(i);
                line = line(next);
            } else if (node instanceof MappingNode m) {
                for (NodeTuple t : m.getValue()) {
                    if (String.valueOf(step).equals(scalar(t.getKeyNode()))) {
                        next = t.getValueNode();
                        line = line(t.getKeyNode());
                    }
                }
            }
            if (next == null) {
                return line;
            }
            node = next;
        }
        return line;
    }

    /** The first line, from {@code fromLine} on (else from the top), that mentions {@code token} outside a comment; 0 if none. */
    public int findLine(String token, int fromLine) {
        if (token == null || token.isBlank()) {
            return 0;
        }
        String[] lines = text.split("\r?\n", -1);
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

    private static Item item(Node node, String text) {
        int start = node.getStartMark().map(Mark::getIndex).orElse(0);
        int end = node.getEndMark().map(Mark::getIndex).orElse(text.length());
        if (!(node instanceof MappingNode mapping) || mapping.getValue().isEmpty()) {
            return new Item("?", null, line(node), start, end);
        }
        NodeTuple first = mapping.getValue().get(0);
        String kind = scalar(first.getKeyNode());
        String idKey = kind.equals("templatedRoute") ? "routeId" : "id";
        String id = first.getValueNode() instanceof MappingNode body ? body.getValue().stream()
                .filter(t -> idKey.equals(scalar(t.getKeyNode())) && t.getValueNode() instanceof ScalarNode)
                .map(t -> scalar(t.getValueNode())).findFirst().orElse(null) : null;
        return new Item(kind, id, line(first.getKeyNode()), start, end);
    }

    private static String scalar(Node node) {
        return node instanceof ScalarNode s ? s.getValue() : String.valueOf(node);
    }

    private static int line(Node node) {
        return node.getStartMark().map(m -> m.getLine() + 1).orElse(1);
    }

    static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s*\\R\\s*", " ").trim();
    }
}
