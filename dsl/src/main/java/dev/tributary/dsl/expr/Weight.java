package dev.tributary.dsl.expr;

/**
 * Bounds the shape of script-built containers. The weight is the expanded size: 1 plus the weight of every element,
 * counting a shared element once per reference. Nesting shared references ({@code m = {'a': m, 'b': m}} in a loop)
 * doubles the weight while memory grows linearly; capping weight and depth keeps every walk over a value (equality,
 * hashing, JSON conversion) linear in the limit and its recursion shallow.
 */
final class Weight {

    /** The JSON nesting depth the platform accepts anywhere (SPEC §4). */
    static final int MAX_DEPTH = 64;

    /** A container that knows its weight and depth. */
    interface Weighted {
        long weight();

        int depth();
    }

    private final long max;

    Weight(long max) {
        this.max = max;
    }

    /** The weight of a container holding {@code elements}; fails beyond the limit. */
    long of(Object[] elements) {
        long total = 1;
        for (Object element : elements) {
            total += element instanceof Weighted w ? w.weight() : 1;
            check(total);
        }
        return total;
    }

    /** The nesting depth of a container holding {@code elements}; fails beyond {@link #MAX_DEPTH}. */
    int depthOf(Object[] elements) {
        int deepest = 0;
        for (Object element : elements) {
            if (element instanceof Weighted w) {
                deepest = Math.max(deepest, w.depth());
            }
        }
        if (deepest + 1 > MAX_DEPTH) {
            throw EvaluationFailure.limit("a value built by the expression is nested deeper than " + MAX_DEPTH);
        }
        return deepest + 1;
    }

    void check(long weight) {
        if (weight > max) {
            throw EvaluationFailure.limit("a value built by the expression has more than " + max + " elements");
        }
    }
}
