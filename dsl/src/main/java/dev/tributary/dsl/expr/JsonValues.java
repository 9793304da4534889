package dev.tributary.dsl.expr;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Iterator;
import java.util.Map;

/**
 * Conversions between Jackson trees and the values scripts compute with: JSON objects and arrays become lazy
 * read-only views, scalars become {@code String}, {@code Integer}/{@code Long}/{@code BigInteger}, {@code Double},
 * {@code BigDecimal}, {@code Boolean} or null; and back.
 */
final class JsonValues {

    static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(Weight.MAX_DEPTH).build())
            .build());

    private JsonValues() {
    }

    /** The script-side value of a node (null for JSON null and for a missing node). */
    static Object toScript(JsonNode node) {
        if (node == null) {
            return null;
        }
        switch (node.getNodeType()) {
            case STRING:
                return node.textValue();
            case NUMBER:
                return number(node);
            case BOOLEAN:
                return node.booleanValue();
            case OBJECT:
                return new JsonObjectView(node);
            case ARRAY:
                return new JsonArrayView(node);
            case BINARY:
            case POJO:
                return node.asText();
            default:
                return null;
        }
    }

    private static Object number(JsonNode node) {
        switch (node.numberType()) {
            case INT:
                return node.intValue();
            case LONG:
                return node.longValue();
            case BIG_INTEGER:
                return node.bigIntegerValue();
            case BIG_DECIMAL:
                return node.decimalValue();
            default:
                return node.doubleValue();
        }
    }

    /**
     * The JSON of a script value. A view (a value taken from the context) or a string comes back as it is; anything
     * else is a new tree, sized against {@code maxChars}, into which sub-trees of the context are copied.
     */
    static JsonNode toJson(Object value, int maxChars) {
        if (value instanceof JsonObjectView view) {
            return view.node;
        }
        if (value instanceof JsonArrayView view) {
            return view.node;
        }
        if (value instanceof String text) {
            return NODES.textNode(text);
        }
        return new Builder(maxChars).build(value);
    }

    /** The JSON of a script value as a new tree that shares nothing with the context. */
    static JsonNode toDetachedJson(Object value, int maxChars) {
        return new Builder(maxChars).build(value);
    }

    /**
     * The text of a value interpolated into a string or joined with {@code +}: null is {@code ""}, a string is itself,
     * a number or boolean its JSON text, an object or array its compact JSON (at most {@code maxChars}).
     */
    static String toText(Object value, int maxChars) {
        if (value == null) {
            return "";
        }
        if (value instanceof String text) {
            return text;
        }
        if (value instanceof Number || value instanceof Boolean || value instanceof Character) {
            return numberText(value);
        }
        return toJsonText(value, maxChars);
    }

    /** Compact JSON text of any value, failing once it passes {@code maxChars}. */
    static String toJsonText(Object value, int maxChars) {
        JsonNode tree = toJson(value, maxChars);
        BoundedWriter out = new BoundedWriter(maxChars);
        try (JsonGenerator generator = MAPPER.createGenerator(out)) {
            MAPPER.writeTree(generator, tree);
        } catch (IOException e) {
            throw EvaluationFailure.of("the value cannot be written as JSON");
        }
        return out.toString();
    }

    private static String numberText(Object value) {
        if (value instanceof Double d && (d.isNaN() || d.isInfinite())) {
            throw EvaluationFailure.of("the result " + d + " is not a JSON number");
        }
        return value.toString();
    }

    /** JSON truthiness: null, false, 0, "", an empty array or object are false. */
    static boolean truthy(Object value) {
        if (value == null) {
            return false;
        }
        if (value instanceof Boolean b) {
            return b;
        }
        if (value instanceof BigDecimal d) {
            return d.signum() != 0;
        }
        if (value instanceof BigInteger i) {
            return i.signum() != 0;
        }
        if (value instanceof Number n) {
            double d = n.doubleValue();
            return d != 0 && !Double.isNaN(d);
        }
        if (value instanceof CharSequence text) {
            return text.length() > 0;
        }
        if (value instanceof Map<?, ?> map) {
            return !map.isEmpty();
        }
        if (value instanceof Iterable<?> iterable) {
            return iterable.iterator().hasNext();
        }
        return true;
    }

    /** Builds a new tree from script values, spending an approximate character budget. */
    private static final class Builder {
        private final int max;
        private long spent;

        Builder(int max) {
            this.max = max;
        }

        JsonNode build(Object value) {
            if (value == null) {
                spend(4);
                return NODES.nullNode();
            }
            if (value instanceof CharSequence || value instanceof Character) {
                String text = value.toString();
                spend(text.length() + 2L);
                return NODES.textNode(text);
            }
            if (value instanceof Boolean b) {
                spend(5);
                return NODES.booleanNode(b);
            }
            if (value instanceof Number n) {
                spend(8);
                return number(n);
            }
            if (value instanceof JsonObjectView view) {
                return copy(view.node);
            }
            if (value instanceof JsonArrayView view) {
                return copy(view.node);
            }
            if (value instanceof Map<?, ?> map) {
                spend(2);
                ObjectNode object = NODES.objectNode();
                for (Map.Entry<?, ?> entry : map.entrySet()) {
                    String key = String.valueOf(entry.getKey());
                    spend(key.length() + 4L);
                    object.set(key, build(entry.getValue()));
                }
                return object;
            }
            if (value instanceof Iterable<?> iterable) {
                spend(2);
                ArrayNode array = NODES.arrayNode();
                for (Object element : iterable) {
                    spend(1);
                    array.add(build(element));
                }
                return array;
            }
            if (value instanceof Object[] elements) {
                spend(2);
                ArrayNode array = NODES.arrayNode(elements.length);
                for (Object element : elements) {
                    spend(1);
                    array.add(build(element));
                }
                return array;
            }
            throw EvaluationFailure.of("the expression produced a value that is not JSON");
        }

        private JsonNode number(Number n) {
            if (n instanceof Integer || n instanceof Short || n instanceof Byte) {
                return NODES.numberNode(n.intValue());
            }
            if (n instanceof Long l) {
                return NODES.numberNode(l);
            }
            if (n instanceof BigInteger i) {
                return NODES.numberNode(i);
            }
            if (n instanceof BigDecimal d) {
                return NODES.numberNode(d);
            }
            double d = n.doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw EvaluationFailure.of("the result " + d + " is not a JSON number");
            }
            return NODES.numberNode(d);
        }

        /** A deep copy, so that the new tree never aliases the context's. */
        private JsonNode copy(JsonNode node) {
            if (node.isObject()) {
                spend(2);
                ObjectNode object = NODES.objectNode();
                Iterator<Map.Entry<String, JsonNode>> fields = node.properties().iterator();
                while (fields.hasNext()) {
                    Map.Entry<String, JsonNode> field = fields.next();
                    spend(field.getKey().length() + 4L);
                    object.set(field.getKey(), copy(field.getValue()));
                }
                return object;
            }
            if (node.isArray()) {
                spend(2);
                ArrayNode array = NODES.arrayNode(node.size());
                for (JsonNode element : node) {
                    spend(1);
                    array.add(copy(element));
                }
                return array;
            }
            spend(node.isTextual() ? node.textValue().length() + 2L : 8);
            return node;
        }

        private void spend(long chars) {
            spent += chars;
            if (spent > max) {
                throw EvaluationFailure.limit("the expression's result is larger than " + max + " characters");
            }
        }
    }

    /** A writer that fails once more than {@code max} characters were written. */
    private static final class BoundedWriter extends Writer {
        private final StringBuilder text = new StringBuilder();
        private final int max;

        BoundedWriter(int max) {
            this.max = max;
        }

        @Override
        public void write(char[] chars, int offset, int length) {
            if (text.length() + (long) length > max) {
                throw EvaluationFailure.limit("text produced by the expression is longer than " + max + " characters");
            }
            text.append(chars, offset, length);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }

        @Override
        public String toString() {
            return text.toString();
        }
    }
}
