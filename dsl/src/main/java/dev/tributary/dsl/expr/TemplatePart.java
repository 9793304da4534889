package dev.tributary.dsl.expr;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/** One compiled piece of a {@link ValueTemplate}'s tree. */
sealed interface TemplatePart {

    /**
     * Evaluates this piece. {@code nested}: the result goes inside a new container, so it must not share nodes
     * with the context or with the template's own raw tree.
     */
    JsonNode render(EvalContext context, boolean nested);

    /** A value with no expression in it. */
    record Constant(JsonNode value) implements TemplatePart {
        @Override
        public JsonNode render(EvalContext context, boolean nested) {
            return nested ? value.deepCopy() : value;
        }
    }

    /** A string that is exactly one expression: keeps the type of its result. */
    record Whole(CompiledExpression expression) implements TemplatePart {
        @Override
        public JsonNode render(EvalContext context, boolean nested) {
            return nested ? expression.evaluateDetached(context) : expression.evaluate(context);
        }
    }

    /** A string mixing text and expressions: always text. */
    record Interpolation(String template, List<Object> pieces, int maxChars) implements TemplatePart {
        @Override
        public JsonNode render(EvalContext context, boolean nested) {
            StringBuilder text = new StringBuilder();
            for (Object piece : pieces) {
                text.append(piece instanceof CompiledExpression e ? e.evaluateText(context) : (String) piece);
                if (text.length() > maxChars) {
                    throw new ExpressionError(context.redactions().redact(ExpressionError.describe(template,
                            "text produced by the template is longer than " + maxChars + " characters")));
                }
            }
            return JsonValues.NODES.textNode(text.toString());
        }
    }

    /** An object with an expression somewhere inside. */
    record ObjectOf(Map<String, TemplatePart> fields) implements TemplatePart {
        @Override
        public JsonNode render(EvalContext context, boolean nested) {
            ObjectNode object = JsonValues.NODES.objectNode();
            fields.forEach((key, part) -> object.set(key, part.render(context, true)));
            return object;
        }
    }

    /** An array with an expression somewhere inside. */
    record ArrayOf(List<TemplatePart> elements) implements TemplatePart {
        @Override
        public JsonNode render(EvalContext context, boolean nested) {
            ArrayNode array = JsonValues.NODES.arrayNode(elements.size());
            for (TemplatePart element : elements) {
                array.add(element.render(context, true));
            }
            return array;
        }
    }
}
