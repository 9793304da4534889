package dev.tributary.dsl.model;

import dev.tributary.dsl.expr.EvalContext;
import dev.tributary.dsl.expr.Expression;

/**
 * A yes/no question asked of a run or an event: {@code if}, {@code when}, {@code match}.
 * Written as one {@code ${ ... }} expression; its truthiness decides.
 */
public record Condition(Expression expression) {

    public boolean test(EvalContext context) {
        return expression.test(context);
    }

    public String source() {
        return expression.source();
    }
}
