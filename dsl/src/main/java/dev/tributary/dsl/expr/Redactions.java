package dev.tributary.dsl.expr;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.Map;

/**
 * The secret values resolved while evaluating with one {@link EvalContext}, and the means to mask them. Thread-safe:
 * foreach iterations sharing a context add to it concurrently.
 *
 * <p>Only exact occurrences are masked; a value derived from a secret (a substring, an encoding) is not tracked.
 */
public final class Redactions {

    static final String MASK = "***";

    /** Longest first, so that a secret containing another is masked whole. Replaced as a whole on add. */
    private volatile String[] values = new String[0];

    Redactions() {
    }

    synchronized void add(String value) {
        if (value == null || value.isEmpty() || Arrays.asList(values).contains(value)) {
            return;
        }
        String[] next = Arrays.copyOf(values, values.length + 1);
        next[values.length] = value;
        Arrays.sort(next, Comparator.comparingInt(String::length).reversed());
        values = next;
    }

    public boolean isEmpty() {
        return values.length == 0;
    }

    /** {@code text} with every occurrence of any collected secret value replaced by {@code ***}. */
    public String redact(String text) {
        if (text == null) {
            return null;
        }
        String out = text;
        for (String value : values) {
            if (out.contains(value)) {
                out = out.replace(value, MASK);
            }
        }
        return out;
    }

    /**
     * The same on every string (and object key) of a tree: returns {@code tree} itself when nothing changed,
     * otherwise a copy (sharing the unchanged sub-trees); never mutates {@code tree}.
     */
    public JsonNode redact(JsonNode tree) {
        if (tree == null || values.length == 0) {
            return tree;
        }
        return masked(tree);
    }

    private JsonNode masked(JsonNode node) {
        if (node.isTextual()) {
            String text = node.textValue();
            String red = redact(text);
            return red.equals(text) ? node : JsonNodeFactory.instance.textNode(red);
        }
        if (node.isArray()) {
            ArrayNode copy = null;
            for (int i = 0; i < node.size(); i++) {
                JsonNode child = node.get(i);
                JsonNode red = masked(child);
                if (red != child && copy == null) {
                    copy = JsonNodeFactory.instance.arrayNode(node.size());
                    for (int j = 0; j < i; j++) {
                        copy.add(node.get(j));
                    }
                }
                if (copy != null) {
                    copy.add(red);
                }
            }
            return copy == null ? node : copy;
        }
        if (node.isObject()) {
            boolean changed = false;
            ObjectNode copy = JsonNodeFactory.instance.objectNode();
            Iterator<Map.Entry<String, JsonNode>> fields = node.properties().iterator();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                String key = redact(field.getKey());
                JsonNode red = masked(field.getValue());
                changed |= red != field.getValue() || !key.equals(field.getKey());
                copy.set(key, red);
            }
            return changed ? copy : node;
        }
        return node;
    }
}
