package dev.tributary.dsl.expr;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.jexl3.JexlArithmetic;
import org.apache.commons.jexl3.JexlException;
import org.apache.commons.jexl3.JexlFeatures;

/**
 * Turns JEXL's exceptions into short messages for users: what went wrong, in the expression's own terms, without
 * Java class names, interpreter internals or (for runtime failures) the values involved beyond what we choose to say.
 */
final class FailureMessages {

    /** Disallowed features, most specific name first (JEXL words them as "{feature} error in ..."). */
    private static final Map<Integer, String> FEATURES = new LinkedHashMap<>();

    static {
        FEATURES.put(JexlFeatures.SIDE_EFFECT_GLOBAL,
                "input, data, event, item, index, error and run are read-only: declare a local with var");
        FEATURES.put(JexlFeatures.NS_PRAGMA, "pragmas (#pragma) are not allowed");
        FEATURES.put(JexlFeatures.IMPORT_PRAGMA, "imports are not allowed");
        FEATURES.put(JexlFeatures.PRAGMA, "pragmas (#pragma) are not allowed");
        FEATURES.put(JexlFeatures.NEW_INSTANCE, "creating objects (new) is not allowed");
        FEATURES.put(JexlFeatures.ANNOTATION, "annotations (@...) are not allowed");
        FEATURES.put(JexlFeatures.LAMBDA, "functions and lambdas are not allowed");
        FEATURES.put(JexlFeatures.THIN_ARROW, "functions and lambdas are not allowed");
        FEATURES.put(JexlFeatures.FAT_ARROW, "functions and lambdas are not allowed");
        FEATURES.put(JexlFeatures.LOCAL_VAR,
                "this variable name is reserved (input, data, event, item, index, error, run, class, jexl)");
        FEATURES.put(JexlFeatures.NS_IDENTIFIER, "namespaces are not allowed");
        FEATURES.put(JexlFeatures.SIDE_EFFECT, "this assignment is not allowed");
        FEATURES.put(JexlFeatures.LOOP, "loops are not allowed");
    }

    private FailureMessages() {
    }

    /** The detail of a compile error. */
    static String syntax(JexlException e) {
        String message = String.valueOf(e.getMessage());
        if (e instanceof JexlException.Feature) {
            for (Map.Entry<Integer, String> feature : FEATURES.entrySet()) {
                if (message.contains(JexlFeatures.stringify(feature.getKey()) + " error")) {
                    return feature.getValue();
                }
            }
            return "this construct is not allowed";
        }
        if (e instanceof JexlException.Ambiguous) {
            return "two expressions with no operator or ';' between them";
        }
        if (e instanceof JexlException.Assignment) {
            return "cannot assign to this";
        }
        if (e instanceof JexlException.Tokenization) {
            return "unterminated string or unexpected character";
        }
        String near = e.getDetail();
        if (near == null || near.isEmpty() || near.equals("<EOF>")) {
            return "unexpected end of expression";
        }
        return "syntax error near '" + abbreviate(near, 40) + "'";
    }

    /** Why an evaluation failed. */
    static String runtime(Throwable error, Evaluation evaluation) {
        EvaluationFailure ours = find(error, EvaluationFailure.class);
        if (ours != null) {
            return ours.getMessage();
        }
        if (evaluation.stopReason() != null) {
            return evaluation.stopReason();
        }
        if (error instanceof JexlException.Cancel || evaluation.getCancellation().get()) {
            return "stopped after running longer than " + evaluation.limits().maxEvaluationTime().toMillis() + " ms";
        }
        if (error instanceof JexlException.StackOverflow || find(error, StackOverflowError.class) != null) {
            return "nested or recursive too deeply";
        }
        if (error instanceof JexlException.Method method) {
            String name = method.getMethod();
            if (name.contains("<null>") || name.contains("<?>")) {
                return "cannot call a method on null";
            }
            return "'" + name + "' is not a function or method that can be called here";
        }
        if (error instanceof JexlException.Property property) {
            String name = property.getProperty();
            if (name.startsWith(".") || name.startsWith("<null>")) {
                return "cannot read a property of null or call a method on it (near '" + name.replaceFirst("^\\.", "")
                        + "'); use ?. for optional values";
            }
            return "'" + name + "' cannot be read here (no such property) or written (values are read-only)";
        }
        if (error instanceof JexlException.Variable variable) {
            // with the root of a path null, JEXL names the path (data.total) or, before a call, the root (System)
            String name = variable.getVariable();
            int dot = name.indexOf('.');
            return dot < 0
                    ? "'" + name + "' is null: no method can be called on it"
                    : "cannot read '" + name + "': '" + name.substring(0, dot) + "' is null (use ?. for optional values)";
        }
        if (error instanceof JexlException.Throw thrown) {
            return "the script threw " + abbreviate(JsonValues.toText(thrown.getValue(), 1000), 200);
        }
        if (error instanceof JexlException.Operator operator) {
            return "operator '" + operator.getSymbol() + "' failed: " + cause(operator.getCause());
        }
        if (error instanceof JexlException jexl) {
            String detail = String.valueOf(jexl.getDetail());
            if (jexl.getCause() != null) {
                String why = cause(jexl.getCause());
                if (detail.matches("\\S{1,3} error") && !why.equals("division by zero")) {
                    return "operator '" + detail.substring(0, detail.indexOf(' ')) + "' cannot be applied to these values";
                }
                return why;
            }
            return looksInternal(detail) ? "evaluation failed" : detail;
        }
        return cause(error);
    }

    private static String cause(Throwable cause) {
        if (cause == null) {
            return "evaluation failed";
        }
        if (cause instanceof JexlArithmetic.NullOperand) {
            return "a value is null";
        }
        if (cause instanceof JexlArithmetic.CoercionException || cause instanceof ClassCastException) {
            return "a value has the wrong type for this operation";
        }
        if (cause instanceof NumberFormatException) {
            return "a value is not a number";
        }
        if (cause instanceof ArithmeticException) {
            String message = String.valueOf(cause.getMessage());
            return message.equals("/") || message.equals("%") || message.contains("by zero")
                    ? "division by zero" : "arithmetic error";
        }
        if (cause instanceof UnsupportedOperationException) {
            return "values are read-only";
        }
        if (cause instanceof IndexOutOfBoundsException) {
            return "index out of range";
        }
        if (cause instanceof JexlException jexl) {
            return runtimeOfNested(jexl);
        }
        return "evaluation failed";
    }

    private static String runtimeOfNested(JexlException jexl) {
        return jexl.getCause() != null ? cause(jexl.getCause()) : "evaluation failed";
    }

    private static boolean looksInternal(String text) {
        return text.contains("java.") || text.contains("org.") || text.contains("$") || text.contains("Exception");
    }

    private static <T extends Throwable> T find(Throwable error, Class<T> type) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    static String abbreviate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 3) + "...";
    }
}
