package dev.tributary.dsl.expr;

import java.util.AbstractMap;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.apache.commons.jexl3.JexlArithmetic;

/** An object built by a script ({@code {'a': 1}}): read-only and weighed like {@link ScriptList}. */
final class ScriptMap extends AbstractMap<Object, Object> implements Weight.Weighted {

    private final Map<Object, Object> entries;
    private final long weight;
    private final int depth;

    private ScriptMap(Map<Object, Object> entries, long weight, int depth) {
        this.entries = Collections.unmodifiableMap(entries);
        this.weight = weight;
        this.depth = depth;
    }

    @Override
    public Object get(Object key) {
        return entries.get(key);
    }

    @Override
    public boolean containsKey(Object key) {
        return entries.containsKey(key);
    }

    @Override
    public int size() {
        return entries.size();
    }

    @Override
    public Set<Entry<Object, Object>> entrySet() {
        return entries.entrySet();
    }

    @Override
    public long weight() {
        return weight;
    }

    @Override
    public int depth() {
        return depth;
    }

    @Override
    public String toString() {
        return "{object of " + entries.size() + "}";
    }

    /** Builds map literals. */
    static final class Builder implements JexlArithmetic.MapBuilder {
        private final Map<Object, Object> entries;
        private final Weight limit;

        Builder(int size, Weight limit) {
            this.entries = new LinkedHashMap<>(Math.max(4, size * 2));
            this.limit = limit;
        }

        @Override
        public void put(Object key, Object value) {
            entries.put(key, value);
        }

        @Override
        public Object create() {
            Object[] keys = entries.keySet().toArray();
            Object[] values = entries.values().toArray();
            long weight = limit.of(keys) + limit.of(values) - 1;
            limit.check(weight);
            return new ScriptMap(entries, weight, Math.max(limit.depthOf(keys), limit.depthOf(values)));
        }
    }
}
