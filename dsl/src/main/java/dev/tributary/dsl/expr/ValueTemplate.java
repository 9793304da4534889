package dev.tributary.dsl.expr;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A JSON value with {@code ${ ... }} expressions anywhere in its strings (object values and array elements, not
 * object keys), compiled once and evaluated many times.
 *
 * <ul>
 *   <li>A string whose whole (trimmed) text is one {@code ${ ... }} takes the value of the expression, with its JSON
 *       type: number, boolean, object, array or null.</li>
 *   <li>Expressions inside a longer string are interpolated as text: a string as is, a number or boolean as its JSON
 *       text, an object or array as compact JSON, and <b>null as the empty string</b>.</li>
 *   <li>{@code $${} stands for a literal {@code ${}.</li>
 * </ul>
 *
 * <p>{@link #evaluate} returns a new tree and never mutates its inputs; a template that is exactly one expression
 * returns that expression's result as {@link Expression#evaluate} does (possibly a sub-tree of the context), and a
 * constant template returns its value without work. Immutable and thread-safe.
 */
public final class ValueTemplate {

    private final JsonNode raw;
    private final TemplatePart root;
    private final List<Expression> expressions;

    ValueTemplate(JsonNode raw, TemplatePart root, List<Expression> expressions) {
        this.raw = raw;
        this.root = root;
        this.expressions = List.copyOf(expressions);
    }

    /** True when there is no {@code ${ ... }} anywhere: {@link #evaluate} returns the (unescaped) value as is. */
    public boolean isConstant() {
        return root instanceof TemplatePart.Constant;
    }

    /** The JSON as written. */
    public JsonNode raw() {
        return raw;
    }

    /**
     * The value with every expression evaluated.
     *
     * @throws ExpressionError when an expression fails
     */
    public JsonNode evaluate(EvalContext context) {
        return root.render(context, false);
    }

    /** Every compiled expression inside, in document order. */
    public List<Expression> expressions() {
        return expressions;
    }

    @Override
    public String toString() {
        return raw.toString();
    }
}
