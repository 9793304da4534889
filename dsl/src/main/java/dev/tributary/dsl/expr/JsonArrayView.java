package dev.tributary.dsl.expr;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.AbstractList;
import java.util.RandomAccess;

/**
 * A JSON array as scripts see it: a read-only list converting elements lazily. An index out of range reads as null
 * (as an unknown property does) rather than failing; every mutator throws {@link UnsupportedOperationException}.
 */
final class JsonArrayView extends AbstractList<Object> implements RandomAccess {

    final JsonNode node;

    JsonArrayView(JsonNode node) {
        this.node = node;
    }

    @Override
    public Object get(int index) {
        JsonNode child = node.get(index);
        return child == null ? null : JsonValues.toScript(child);
    }

    @Override
    public int size() {
        return node.size();
    }

    @Override
    public boolean equals(Object o) {
        if (o instanceof JsonArrayView other) {
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
