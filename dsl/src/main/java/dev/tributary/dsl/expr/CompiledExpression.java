package dev.tributary.dsl.expr;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;
import java.util.function.Function;
import org.apache.commons.jexl3.JexlScript;

/** A parsed expression bound to its sandbox. */
final class CompiledExpression implements Expression {

    private final String source;
    private final JexlScript script;
    private final boolean loops;
    private final SandboxedJexl jexl;

    CompiledExpression(String source, JexlScript script, boolean loops, SandboxedJexl jexl) {
        this.source = source;
        this.script = script;
        this.loops = loops;
        this.jexl = jexl;
    }

    @Override
    public String source() {
        return source;
    }

    @Override
    public JsonNode evaluate(EvalContext context) {
        return run(context, value -> JsonValues.toJson(value, jexl.limits().maxResultChars()));
    }

    @Override
    public boolean test(EvalContext context) {
        return run(context, JsonValues::truthy);
    }

    /** The result as a new node, never one shared with the context: for placing inside a new tree. */
    JsonNode evaluateDetached(EvalContext context) {
        return run(context, value -> value instanceof String text
                ? JsonValues.NODES.textNode(text)
                : JsonValues.toDetachedJson(value, jexl.limits().maxResultChars()));
    }

    /** The result as text for interpolation ({@link JsonValues#toText}). */
    String evaluateText(EvalContext context) {
        return run(context, value -> JsonValues.toText(value, jexl.limits().maxResultChars()));
    }

    /**
     * Runs the script and converts its value inside the same guard, so every failure becomes an
     * {@link ExpressionError} whose message is redacted of the secrets this context resolved.
     */
    private <T> T run(EvalContext context, Function<Object, T> finish) {
        Objects.requireNonNull(context, "context");
        Evaluation evaluation = new Evaluation(context, jexl.limits());
        evaluation.enter();
        if (loops) {
            Watchdog.SHARED.watch(evaluation);
        }
        try {
            Object value = script.execute(evaluation);
            if (evaluation.stopReason() != null) {
                // a limit was hit and a script-level try/catch swallowed it
                throw EvaluationFailure.of(evaluation.stopReason());
            }
            return finish.apply(value);
        } catch (RuntimeException | StackOverflowError e) {
            throw failure(FailureMessages.runtime(e, evaluation), context);
        } finally {
            if (loops) {
                Watchdog.SHARED.release(evaluation);
            }
            evaluation.exit();
        }
    }

    private ExpressionError failure(String reason, EvalContext context) {
        return new ExpressionError(context.redactions().redact(ExpressionError.describe(source, reason)));
    }

    @Override
    public String toString() {
        return "${" + source + "}";
    }
}
