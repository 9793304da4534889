package dev.tributary.dsl.expr;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One compiled expression: the text inside {@code ${ ... }}. Immutable and safe to evaluate from many threads.
 */
public interface Expression {

    /** The expression text as written (trimmed). */
    String source();

    /**
     * Evaluates against a context. A value taken unchanged from the context (e.g. {@code data.order}) is returned as
     * is: callers must treat the result as read-only.
     *
     * @throws ExpressionError when evaluation fails, is stopped after the time bound, or exceeds a size limit
     */
    JsonNode evaluate(EvalContext context);

    /**
     * Evaluates and applies truthiness: {@code null}, {@code false}, {@code 0}, {@code ""}, an empty array and an
     * empty object are false; everything else is true.
     *
     * @throws ExpressionError when evaluation fails
     */
    boolean test(EvalContext context);
}
