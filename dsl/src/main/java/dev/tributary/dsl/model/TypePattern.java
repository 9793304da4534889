package dev.tributary.dsl.model;

/**
 * CloudEvent type patterns: dot-separated segments where {@code *} stands for one or more whole
 * segments, so {@code order.*} matches {@code order.paid} and {@code order.item.added} but not
 * {@code order} or {@code orders.paid}.
 */
public final class TypePattern {

    private TypePattern() {
    }

    public static boolean matches(String pattern, String type) {
        return matches(pattern.split("\\.", -1), 0, type.split("\\.", -1), 0);
    }

    private static boolean matches(String[] p, int pi, String[] t, int ti) {
        if (pi == p.length) {
            return ti == t.length;
        }
        if (p[pi].equals("*")) {
            for (int end = ti + 1; end <= t.length; end++) {
                if (matches(p, pi + 1, t, end)) {
                    return true;
                }
            }
            return false;
        }
        return ti < t.length && p[pi].equals(t[ti]) && matches(p, pi + 1, t, ti + 1);
    }
}
