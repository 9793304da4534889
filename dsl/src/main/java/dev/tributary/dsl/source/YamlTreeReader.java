package dev.tributary.dsl.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.StringReader;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.DumperOptions.ScalarStyle;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * YAML to JSON trees with locations. SnakeYAML composes the node graph (anchors, aliases,
 * marks, alias and depth limits); this class types the scalars itself by the YAML 1.2 core
 * schema, so {@code on:}, {@code yes}, {@code no} and {@code 010} mean what they say rather than
 * YAML 1.1's booleans and octals.
 */
final class YamlTreeReader {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final Pattern NULL = Pattern.compile("null|Null|NULL|~|");
    private static final Pattern TRUE = Pattern.compile("true|True|TRUE");
    private static final Pattern FALSE = Pattern.compile("false|False|FALSE");
    private static final Pattern DECIMAL = Pattern.compile("[-+]?[0-9]+");
    private static final Pattern OCTAL = Pattern.compile("0o[0-7]+");
    private static final Pattern HEX = Pattern.compile("0x[0-9a-fA-F]+");
    private static final Pattern FLOAT = Pattern.compile("[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?");
    private static final String MERGE_KEY = "<<";

    private final String file;
    private final ParseLimits limits;
    private final List<Problem> problems = new ArrayList<>();
    private SourceMap map;
    private int values;
    private final Set<Node> onPath = Collections.newSetFromMap(new IdentityHashMap<>());

    YamlTreeReader(String file, ParseLimits limits) {
        this.file = file;
        this.limits = limits;
    }

    ParsedFile read(String text) {
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(limits.maxAliases());
        // SnakeYAML's own depth error has no location: let it guard the stack only, and report
        // the limit below, where the node that crosses it is known.
        options.setNestingDepthLimit(limits.maxDepth() * 2 + 10);
        options.setAllowDuplicateKeys(true); // reported below, with both places
        options.setCodePointLimit(Math.max(limits.maxBytes(), 1));
        List<SourceDocument> documents = new ArrayList<>();
        try {
            int index = 0;
            for (Node root : new Yaml(options).composeAll(new StringReader(text))) {
                if (root == null || (root instanceof ScalarNode empty && empty.getValue().isEmpty())) {
                    index++;
                    continue;
                }
                map = new SourceMap(file);
                values = 0;
                JsonNode tree = convert(root, "", 1);
                if (tree != null) {
                    documents.add(new SourceDocument(file, index, tree, map));
                }
                index++;
            }
        } catch (MarkedYAMLException e) {
            problems.add(new Problem(at(e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark()), "",
                    "YAML syntax: " + describe(e)));
        } catch (YAMLException e) {
            problems.add(new Problem(SourceLocation.startOf(file), "", limitMessage(e.getMessage())));
        } catch (LimitReached e) {
            // already reported
        }
        return new ParsedFile(problems.isEmpty() ? documents : List.of(), problems);
    }

    private JsonNode convert(Node node, String path, int depth) {
        if (++values > limits.maxValues()) {
            fail(node, path, "the document expands to more than " + limits.maxValues()
                    + " values (limit 'document values'); YAML aliases repeat what they point at");
        }
        if (depth > limits.maxDepth()) {
            fail(node, path, "nesting deeper than " + limits.maxDepth() + " levels (limit 'nesting depth')");
        }
        map.putValue(path, contentStart(node));
        if (node instanceof ScalarNode scalar) {
            return scalar(scalar);
        }
        if (!onPath.add(node)) {
            fail(node, path, "a YAML alias refers to a value that contains it; recursive structures are not allowed");
        }
        try {
            if (node instanceof SequenceNode sequence) {
                ArrayNode array = JSON.arrayNode();
                List<Node> items = sequence.getValue();
                for (int i = 0; i < items.size(); i++) {
                    array.add(convert(items.get(i), Paths.index(path, i), depth + 1));
                }
                return array;
            }
            ObjectNode object = JSON.objectNode();
            fill(object, (MappingNode) node, path, depth, false);
            return object;
        } finally {
            onPath.remove(node);
        }
    }

    /** Adds a mapping's entries; entries brought in by {@code <<} merges never override its own. */
    private void fill(ObjectNode object, MappingNode mapping, String path, int depth, boolean merged) {
        List<Node> merges = new ArrayList<>();
        for (NodeTuple entry : mapping.getValue()) {
            if (!(entry.getKeyNode() instanceof ScalarNode keyNode)) {
                fail(entry.getKeyNode(), path, "an object key must be plain text, not a list or an object");
                return;
            }
            String key = keyNode.getValue();
            if (MERGE_KEY.equals(key) && keyNode.getScalarStyle() == ScalarStyle.PLAIN) {
                merges.add(entry.getValueNode());
                continue;
            }
            String child = Paths.field(path, key);
            if (object.has(key)) {
                if (!merged) {
                    problems.add(new Problem(at(keyNode.getStartMark()), child,
                            "duplicate key '" + key + "' (first at line " + map.keyAt(child).line() + ")"));
                }
                continue;
            }
            map.putKey(child, at(keyNode.getStartMark()));
            object.set(key, convert(entry.getValueNode(), child, depth + 1));
        }
        merges.forEach(source -> merge(object, source, path, depth));
    }

    private void merge(ObjectNode object, Node source, String path, int depth) {
        if (source instanceof MappingNode mapping) {
            fill(object, mapping, path, depth, true);
        } else if (source instanceof SequenceNode sequence && sequence.getValue().stream().allMatch(MappingNode.class::isInstance)) {
            sequence.getValue().forEach(m -> fill(object, (MappingNode) m, path, depth, true));
        } else {
            fail(source, path, "'<<' merges an object (or a list of objects) into this one");
        }
    }

    private JsonNode scalar(ScalarNode node) {
        String v = node.getValue();
        if (node.getScalarStyle() != ScalarStyle.PLAIN) {
            return JSON.textNode(v);
        }
        if (NULL.matcher(v).matches()) {
            return JSON.nullNode();
        }
        if (TRUE.matcher(v).matches()) {
            return JSON.booleanNode(true);
        }
        if (FALSE.matcher(v).matches()) {
            return JSON.booleanNode(false);
        }
        if (DECIMAL.matcher(v).matches()) {
            return integer(new BigInteger(v.startsWith("+") ? v.substring(1) : v));
        }
        if (OCTAL.matcher(v).matches()) {
            return integer(new BigInteger(v.substring(2), 8));
        }
        if (HEX.matcher(v).matches()) {
            return integer(new BigInteger(v.substring(2), 16));
        }
        if (FLOAT.matcher(v).matches()) {
            return JSON.numberNode(new BigDecimal(v));
        }
        return JSON.textNode(v);
    }

    /** Where a value's text begins: past the opening quote of a quoted scalar, so offsets into it line up. */
    private SourceLocation contentStart(Node node) {
        SourceLocation start = at(node.getStartMark());
        if (node instanceof ScalarNode scalar && (scalar.getScalarStyle() == ScalarStyle.DOUBLE_QUOTED
                || scalar.getScalarStyle() == ScalarStyle.SINGLE_QUOTED)) {
            return start.shiftedBy(1);
        }
        return start;
    }

    private static JsonNode integer(BigInteger value) {
        if (value.bitLength() < 32) {
            return JSON.numberNode(value.intValue());
        }
        return value.bitLength() < 64 ? JSON.numberNode(value.longValue()) : JSON.numberNode(value);
    }

    private void fail(Node node, String path, String message) {
        problems.add(new Problem(at(node.getStartMark()), path, message));
        throw new LimitReached();
    }

    private SourceLocation at(Mark mark) {
        return mark == null ? SourceLocation.startOf(file) : new SourceLocation(file, mark.getLine() + 1, mark.getColumn() + 1);
    }

    private static String describe(MarkedYAMLException e) {
        String problem = e.getProblem() == null ? "" : e.getProblem();
        String context = e.getContext() == null ? "" : " " + e.getContext();
        return (problem + context).trim().replaceAll("\\s+", " ");
    }

    private String limitMessage(String snakeMessage) {
        String m = snakeMessage == null ? "" : snakeMessage;
        if (m.contains("aliases")) {
            return "more than " + limits.maxAliases() + " YAML aliases to lists or objects (limit 'YAML aliases')";
        }
        if (m.toLowerCase().contains("depth")) {
            return "nesting deeper than " + limits.maxDepth() + " levels (limit 'nesting depth')";
        }
        if (m.contains("code points")) {
            return "the file is over the limit 'definition size' of " + limits.maxBytes() + " bytes";
        }
        return "YAML: " + m;
    }

    /** Unwinds the conversion once a limit is hit; the problem is already recorded. */
    private static final class LimitReached extends RuntimeException {
        LimitReached() {
            super(null, null, false, false);
        }
    }
}
