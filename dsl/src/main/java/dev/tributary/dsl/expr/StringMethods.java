package dev.tributary.dsl.expr;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The string methods scripts may call: reading and bounded transformations only. Nothing that allocates without a
 * bound ({@code repeat}, {@code concat}, {@code join}, padding) and no regular expressions ({@code matches},
 * {@code split}, {@code replaceAll}: use {@code =~}, which respects the time bound). Indexes are clamped to the
 * string, so {@code substring} never fails.
 */
final class StringMethods {

    private final Map<String, SandboxMethod> methods = new HashMap<>();
    private final SandboxArithmetic arithmetic;

    StringMethods(SandboxArithmetic arithmetic) {
        this.arithmetic = arithmetic;
        define("length", 0, Integer.class, (s, a) -> s.length());
        define("isEmpty", 0, Boolean.class, (s, a) -> s.isEmpty());
        define("isBlank", 0, Boolean.class, (s, a) -> s.isBlank());
        define("charAt", 1, String.class, (s, a) -> {
            int i = integer(a[0]);
            return i >= 0 && i < s.length() ? String.valueOf(s.charAt(i)) : null;
        });
        define("substring", 1, String.class, (s, a) -> s.substring(clamp(integer(a[0]), 0, s.length())));
        define("substring", 2, String.class, (s, a) -> {
            int begin = clamp(integer(a[0]), 0, s.length());
            return s.substring(begin, clamp(integer(a[1]), begin, s.length()));
        });
        define("indexOf", 1, Integer.class, (s, a) -> s.indexOf(text(a[0])));
        define("indexOf", 2, Integer.class, (s, a) -> s.indexOf(text(a[0]), integer(a[1])));
        define("lastIndexOf", 1, Integer.class, (s, a) -> s.lastIndexOf(text(a[0])));
        define("contains", 1, Boolean.class, (s, a) -> s.contains(text(a[0])));
        define("startsWith", 1, Boolean.class, (s, a) -> s.startsWith(text(a[0])));
        define("endsWith", 1, Boolean.class, (s, a) -> s.endsWith(text(a[0])));
        define("toLowerCase", 0, String.class, (s, a) -> arithmetic.checked(s.toLowerCase(Locale.ROOT)));
        define("toUpperCase", 0, String.class, (s, a) -> arithmetic.checked(s.toUpperCase(Locale.ROOT)));
        define("trim", 0, String.class, (s, a) -> s.trim());
        define("strip", 0, String.class, (s, a) -> s.strip());
        define("replace", 2, String.class, (s, a) -> replace(s, text(a[0]), text(a[1])));
        define("equals", 1, Boolean.class, (s, a) -> s.equals(a[0]));
        define("equalsIgnoreCase", 1, Boolean.class, (s, a) -> a[0] != null && s.equalsIgnoreCase(text(a[0])));
        define("compareTo", 1, Integer.class, (s, a) -> s.compareTo(text(a[0])));
        define("compareToIgnoreCase", 1, Integer.class, (s, a) -> s.compareToIgnoreCase(text(a[0])));
        define("toString", 0, String.class, (s, a) -> s);
    }

    /** The method, or null when it is not on the list. */
    SandboxMethod find(String name, int arity) {
        return methods.get(name + '/' + arity);
    }

    private interface StringBody {
        Object call(String target, Object[] args);
    }

    private void define(String name, int arity, Class<?> returnType, StringBody body) {
        methods.put(name + '/' + arity,
                new SandboxMethod(String.class, name, arity, returnType, (t, a) -> body.call((String) t, a)));
    }

    /** Literal replacement whose result size is checked before it is built. */
    private String replace(String s, String target, String replacement) {
        if (target.isEmpty() || replacement.length() > target.length()) {
            long hits = target.isEmpty() ? s.length() + 1L : count(s, target);
            long size = s.length() + hits * (replacement.length() - target.length());
            if (size > arithmetic.maxChars()) {
                throw EvaluationFailure.limit("text produced by the expression is longer than "
                        + arithmetic.maxChars() + " characters");
            }
        }
        return s.replace(target, replacement);
    }

    private static long count(String s, String target) {
        long hits = 0;
        for (int i = s.indexOf(target); i >= 0; i = s.indexOf(target, i + target.length())) {
            hits++;
        }
        return hits;
    }

    private String text(Object value) {
        return arithmetic.toString(value);
    }

    private int integer(Object value) {
        return arithmetic.toInteger(value);
    }

    private static int clamp(int value, int low, int high) {
        return Math.max(low, Math.min(high, value));
    }
}
