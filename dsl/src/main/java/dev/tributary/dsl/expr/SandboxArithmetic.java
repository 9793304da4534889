package dev.tributary.dsl.expr;

import java.math.MathContext;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.apache.commons.jexl3.JexlArithmetic;

/**
 * JEXL arithmetic with our limits: lenient about null (it reads as 0, false or "" in arithmetic, so a missing field
 * does not fail a comparison), {@code +} joins text whenever either side is a string (capped at
 * {@code maxResultChars}), containers render as JSON text, literals build read-only weighed containers, ranges are
 * capped, and regular expressions ({@code =~}) give up at the evaluation's deadline instead of backtracking forever.
 */
final class SandboxArithmetic extends JexlArithmetic {

    /** The most elements a range ({@code 1..n}) may have. */
    static final long MAX_RANGE = 1_000_000;

    private static final int MAX_CACHED_PATTERNS = 512;
    private static final Map<String, Pattern> PATTERNS = new ConcurrentHashMap<>();

    private final int maxChars;
    private final Weight weight;

    SandboxArithmetic(int maxChars) {
        this(maxChars, false, null, Integer.MIN_VALUE);
    }

    private SandboxArithmetic(int maxChars, boolean strict, MathContext context, int scale) {
        super(strict, context, scale);
        this.maxChars = maxChars;
        this.weight = new Weight(maxChars);
    }

    @Override
    protected JexlArithmetic createWithOptions(boolean strict, MathContext context, int scale) {
        return new SandboxArithmetic(maxChars, strict, context, scale);
    }

    int maxChars() {
        return maxChars;
    }

    Weight weight() {
        return weight;
    }

    @Override
    public Object add(Object left, Object right) {
        if (isText(left) || isText(right)) {
            return concat(toString(left), toString(right));
        }
        return super.add(left, right);
    }

    /** Unlike lenient JEXL, which makes {@code x / 0} zero, division by zero fails. */
    @Override
    public Object divide(Object left, Object right) {
        return failingOnZero(() -> super.divide(left, right));
    }

    @Override
    public Object mod(Object left, Object right) {
        return failingOnZero(() -> super.mod(left, right));
    }

    private static Object failingOnZero(java.util.function.Supplier<Object> operation) {
        try {
            return operation.get();
        } catch (ArithmeticException e) {
            throw EvaluationFailure.of("division by zero");
        }
    }

    private static boolean isText(Object value) {
        return value instanceof CharSequence || value instanceof Character;
    }

    /** Joins two strings, refusing to build one longer than the limit. */
    String concat(String left, String right) {
        if ((long) left.length() + right.length() > maxChars) {
            throw EvaluationFailure.limit("text produced by the expression is longer than " + maxChars + " characters");
        }
        return left.concat(right);
    }

    /** Checks a string some operation produced. */
    String checked(String text) {
        if (text.length() > maxChars) {
            throw EvaluationFailure.limit("text produced by the expression is longer than " + maxChars + " characters");
        }
        return text;
    }

    @Override
    public String toString(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof Map<?, ?> || value instanceof Collection<?> || value instanceof Object[]) {
            return JsonValues.toJsonText(value, maxChars);
        }
        return super.toString(value);
    }

    @Override
    public Boolean contains(Object container, Object value) {
        if (container instanceof Pattern pattern) {
            return matches(pattern, value);
        }
        if (container instanceof CharSequence regex) {
            return matches(pattern(regex.toString()), value);
        }
        if (container instanceof JsonArrayView || container instanceof ScriptList) {
            Collection<?> elements = (Collection<?>) container;
            if (value instanceof JsonArrayView || value instanceof ScriptList) {
                for (Object wanted : (Collection<?>) value) {
                    if (!containsElement(elements, wanted)) {
                        return false;
                    }
                }
                return true;
            }
            return containsElement(elements, value);
        }
        return super.contains(container, value);
    }

    /** Membership with the arithmetic's equality, so that {@code 1 =~ data.ids} holds for a JSON long 1. */
    private boolean containsElement(Collection<?> elements, Object value) {
        for (Object element : elements) {
            if (element == null ? value == null : value != null && equals(element, value)) {
                return true;
            }
        }
        return false;
    }

    private Boolean matches(Pattern pattern, Object value) {
        if (value == null) {
            return false;
        }
        return pattern.matcher(new DeadlineText(toString(value), Evaluation.current())).matches();
    }

    private static Pattern pattern(String regex) {
        Pattern cached = PATTERNS.get(regex);
        if (cached != null) {
            return cached;
        }
        try {
            Pattern pattern = Pattern.compile(regex);
            if (PATTERNS.size() < MAX_CACHED_PATTERNS) {
                PATTERNS.putIfAbsent(regex, pattern);
            }
            return pattern;
        } catch (PatternSyntaxException e) {
            throw EvaluationFailure.of("invalid regular expression: " + e.getDescription());
        }
    }

    @Override
    public Iterable<?> createRange(Object from, Object to) {
        long low = toLong(from);
        long high = toLong(to);
        if (Math.abs((double) high - (double) low) >= MAX_RANGE) {
            throw EvaluationFailure.limit("a range may have at most " + MAX_RANGE + " elements");
        }
        return super.createRange(from, to);
    }

    @Override
    public ArrayBuilder arrayBuilder(int size, boolean extended) {
        return new ScriptList.Builder(size, weight);
    }

    @Override
    public MapBuilder mapBuilder(int size, boolean extended) {
        return new ScriptMap.Builder(size, weight);
    }

    @Override
    public SetBuilder setBuilder(int size, boolean extended) {
        return new ScriptList.SetBuilder(weight);
    }

    /**
     * Text handed to the regex engine that checks the evaluation's deadline every few thousand reads, so that a
     * catastrophically backtracking pattern is stopped like a runaway loop.
     */
    private static final class DeadlineText implements CharSequence {
        private final String text;
        private final Evaluation evaluation;
        private int reads;

        DeadlineText(String text, Evaluation evaluation) {
            this.text = text;
            this.evaluation = evaluation;
        }

        @Override
        public char charAt(int index) {
            if (++reads >= 4096) {
                reads = 0;
                if (evaluation != null && evaluation.pastDeadline()) {
                    throw EvaluationFailure.limit("a regular expression match took longer than "
                            + evaluation.limits().maxEvaluationTime().toMillis() + " ms");
                }
            }
            return text.charAt(index);
        }

        @Override
        public int length() {
            return text.length();
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return new DeadlineText(text.substring(start, end), evaluation);
        }

        @Override
        public String toString() {
            return text;
        }
    }
}
