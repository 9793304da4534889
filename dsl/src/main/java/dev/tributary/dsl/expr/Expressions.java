package dev.tributary.dsl.expr;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Compiles the DSL's {@code ${ ... }} expressions (SPEC §2.2): Apache Commons JEXL expressions, or short scripts
 * with {@code ;}, evaluated in a sandbox. One instance per process; thread-safe; compiled expressions are cached by
 * their text.
 *
 * <h2>What an expression sees</h2>
 * The variables {@code input}, {@code data}, {@code event}, {@code item} (or its foreach alias), {@code index},
 * {@code error} and {@code run} ({@link EvalContext}). JSON objects and arrays are read through lazy read-only views:
 * {@code data.order.total}, {@code data['k']}, {@code data.items[0]}, {@code size(data.items)},
 * {@code data.items.size()}, {@code empty(data.x)}, {@code 'x' =~ data.list}. Numbers are Java integers, longs,
 * doubles or big decimals, so JEXL arithmetic applies (integer division for integers: {@code 7 / 2} is 3).
 * <ul>
 *   <li>An <b>unknown variable is null</b>, not an error; so is an unknown property of an object and an index out of
 *       range. Reading a property of null fails, unless written {@code x?.y} (or guarded by {@code ??} or
 *       {@code ?:}).</li>
 *   <li>In arithmetic and comparisons null counts as 0, false or "" (a missing field does not fail
 *       {@code data.total > 100}). {@code +} joins text when either side is a string.</li>
 *   <li>Built-in functions: {@code now()}, {@code uuid()}, {@code base64Encode(s)}, {@code base64Decode(s)},
 *       {@code parseJson(s)}, {@code toJson(v)}, {@code size(v)}, {@code duration(s)} (milliseconds),
 *       {@code secret(name)}.</li>
 *   <li>String methods: {@code length isEmpty isBlank charAt substring indexOf lastIndexOf contains startsWith
 *       endsWith toLowerCase toUpperCase trim strip replace equals equalsIgnoreCase compareTo compareToIgnoreCase
 *       toString}. Object methods: {@code size isEmpty containsKey get keySet values}; array methods:
 *       {@code size isEmpty contains get indexOf}.</li>
 * </ul>
 *
 * <h2>Sandbox</h2>
 * No class, reflection, {@code new}, pragma, import, annotation, namespace, lambda or I/O is reachable (see
 * {@link SandboxUberspect}); the context cannot be modified. Scripts may declare and reassign local {@code var}s and
 * use loops: an evaluation running longer than {@link ExpressionLimits#maxEvaluationTime()} is stopped and fails.
 * Strings, JSON results and script-built containers are capped ({@link ExpressionLimits#maxResultChars()}), regex
 * matching obeys the time bound, ranges hold at most a million elements. Every failure is an
 * {@link ExpressionError} whose message never holds a secret resolved by the evaluation.
 */
public final class Expressions {

    private static final int MAX_CACHED = 20_000;

    private final SandboxedJexl jexl;
    private final Map<String, CompiledExpression> cache = new ConcurrentHashMap<>();

    private Expressions(ExpressionLimits limits) {
        this.jexl = new SandboxedJexl(Objects.requireNonNull(limits, "limits"));
    }

    /** A sandbox with {@link ExpressionLimits#defaults()}. */
    public static Expressions sandboxed() {
        return new Expressions(ExpressionLimits.defaults());
    }

    public static Expressions sandboxed(ExpressionLimits limits) {
        return new Expressions(limits);
    }

    /**
     * Compiles the text inside {@code ${ ... }}.
     *
     * @throws ExpressionSyntaxException with the offset of the error within {@code source}
     */
    public Expression compile(String source) throws ExpressionSyntaxException {
        return compiled(Objects.requireNonNull(source, "source"));
    }

    /**
     * Compiles every {@code ${ ... }} in every string of a JSON tree (object values and array elements, not keys).
     *
     * @throws TemplateSyntaxException naming the path of the string and the offset within it
     */
    public ValueTemplate template(JsonNode value) throws TemplateSyntaxException {
        return TemplateCompiler.compile(Objects.requireNonNull(value, "value"), this::compiled,
                jexl.limits().maxResultChars());
    }

    /**
     * The same for one string value.
     *
     * @throws ExpressionSyntaxException with the offset within {@code text} (counting the {@code ${})
     */
    public ValueTemplate template(String text) throws ExpressionSyntaxException {
        return TemplateCompiler.compile(Objects.requireNonNull(text, "text"), this::compiled,
                jexl.limits().maxResultChars());
    }

    /** Whether {@code text} holds an unescaped {@code ${}. */
    public static boolean containsExpression(String text) {
        return TemplateScanner.containsExpression(text);
    }

    private CompiledExpression compiled(String source) throws ExpressionSyntaxException {
        CompiledExpression cached = cache.get(source);
        if (cached != null) {
            return cached;
        }
        CompiledExpression compiled = jexl.compile(source);
        if (cache.size() < MAX_CACHED) {
            CompiledExpression raced = cache.putIfAbsent(source, compiled);
            return raced != null ? raced : compiled;
        }
        return compiled;
    }
}
