package dev.tributary.dsl.expr;

/**
 * An expression failed while being evaluated: the workflow error type {@value #TYPE}. The message names the
 * expression and what went wrong; it never holds a secret value resolved during the evaluation, a Java class name
 * or a stack trace of the interpreter.
 */
public final class ExpressionError extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public static final String TYPE = "ExpressionError";

    ExpressionError(String message) {
        super(message);
    }

    /** "expression '{source}' failed: {reason}". */
    static String describe(String source, String reason) {
        return "expression '" + abbreviate(source) + "' failed: " + reason;
    }

    private static String abbreviate(String source) {
        return source.length() <= 200 ? source : source.substring(0, 197) + "...";
    }
}
