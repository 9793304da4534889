package dev.tributary.dsl.model;

import dev.tributary.dsl.expr.ValueTemplate;
import java.util.Map;

/**
 * A function: user code with a runtime and limits (SPEC §2.3).
 *
 * @param code    inline source or a path to upload; {@link FunctionCode#NONE} for http and expr
 * @param handler python {@code [module.]function}, node {@code [file.]export}, java class name,
 *                process command line; null where the runtime has none
 * @param env     environment given to the function's process; values may be expressions
 *                (typically {@code ${ secret('x') }}) resolved at activation time
 * @param http    where an {@code http} function sends its input; null for other runtimes
 * @param expr    the expression an {@code expr} function evaluates over {@code input}; null otherwise
 */
public record FunctionDef(
        String name,
        String description,
        Runtime runtime,
        FunctionCode code,
        String handler,
        FunctionLimits limits,
        Map<String, ValueTemplate> env,
        HttpTarget http,
        ValueTemplate expr) implements Definition {

    public FunctionDef {
        env = Map.copyOf(env);
    }

    /** The same function with other code (the server adds the digest of uploaded code). */
    public FunctionDef withCode(FunctionCode other) {
        return new FunctionDef(name, description, runtime, other, handler, limits, env, http, expr);
    }

    @Override
    public Kind kind() {
        return Kind.FUNCTION;
    }

    /** The languages and kinds of code a function can be written in. */
    public enum Runtime {
        PYTHON, NODE, JAVA, PROCESS, HTTP, EXPR;

        public String key() {
            return name().toLowerCase();
        }
    }
}
