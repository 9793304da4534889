package dev.tributary.dsl.expr;

import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.RandomAccess;
import org.apache.commons.jexl3.JexlArithmetic;

/**
 * An array built by a script (array and set literals, {@code keySet()}...): read-only, and weighed so that no script
 * can build a structure whose expansion would be huge by nesting shared references (see {@link Weight}).
 */
final class ScriptList extends AbstractList<Object> implements RandomAccess, Weight.Weighted {

    private final Object[] elements;
    private final long weight;
    private final int depth;

    private ScriptList(Object[] elements, long weight, int depth) {
        this.elements = elements;
        this.weight = weight;
        this.depth = depth;
    }

    static ScriptList of(Collection<?> values, Weight limit) {
        Object[] elements = values.toArray();
        return new ScriptList(elements, limit.of(elements), limit.depthOf(elements));
    }

    @Override
    public Object get(int index) {
        return index >= 0 && index < elements.length ? elements[index] : null;
    }

    @Override
    public int size() {
        return elements.length;
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
        return "[array of " + elements.length + "]";
    }

    /** Builds array literals ({@code [a, b]}, and {@code [a, b, ...]}). */
    static final class Builder implements JexlArithmetic.ArrayBuilder {
        private final List<Object> values;
        private final Weight limit;

        Builder(int size, Weight limit) {
            this.values = new ArrayList<>(size);
            this.limit = limit;
        }

        @Override
        public void add(Object value) {
            values.add(value);
        }

        @Override
        public Object create(boolean extended) {
            return of(values, limit);
        }
    }

    /** Builds set literals ({@code {a, b}}): an array of the distinct values, in order. */
    static final class SetBuilder implements JexlArithmetic.SetBuilder {
        private final LinkedHashSet<Object> values = new LinkedHashSet<>();
        private final Weight limit;

        SetBuilder(Weight limit) {
            this.limit = limit;
        }

        @Override
        public void add(Object value) {
            values.add(value);
        }

        @Override
        public Object create() {
            return of(values, limit);
        }
    }
}
