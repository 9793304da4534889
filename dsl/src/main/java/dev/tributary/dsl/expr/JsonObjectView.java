package dev.tributary.dsl.expr;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * A JSON object as scripts see it: a read-only map whose values are converted lazily, one property access at a time,
 * so no tree is copied per evaluation. Every mutator throws {@link UnsupportedOperationException}.
 */
final class JsonObjectView extends AbstractMap<String, Object> {

    final JsonNode node;

    JsonObjectView(JsonNode node) {
        this.node = node;
    }

    @Override
    public Object get(Object key) {
        if (key == null) {
            return null;
        }
        JsonNode child = node.get(key instanceof String s ? s : String.valueOf(key));
        return child == null ? null : JsonValues.toScript(child);
    }

    @Override
    public boolean containsKey(Object key) {
        return key != null && node.has(key instanceof String s ? s : String.valueOf(key));
    }

    @Override
    public int size() {
        return node.size();
    }

    @Override
    public boolean isEmpty() {
        return node.isEmpty();
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Entry<String, Object>> iterator() {
                Iterator<Entry<String, JsonNode>> fields = node.properties().iterator();
                return new Iterator<>() {
                    @Override
                    public boolean hasNext() {
                        return fields.hasNext();
                    }

                    @Override
                    public Entry<String, Object> next() {
                        Entry<String, JsonNode> field = fields.next();
                        return new SimpleImmutableEntry<>(field.getKey(), JsonValues.toScript(field.getValue()));
                    }
                };
            }

            @Override
            public int size() {
                return node.size();
            }
        };
    }

    @Override
    public boolean equals(Object o) {
        if (o instanceof JsonObjectView other) {
            return node.equals(other.node);
        }
        return super.equals(o);
    }

    @Override
    public int hashCode() {
        return super.hashCode();
    }

    @Override
    public String toString() {
        return node.toString();
    }
}
