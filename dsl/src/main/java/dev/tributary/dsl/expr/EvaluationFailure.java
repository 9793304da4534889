package dev.tributary.dsl.expr;

/**
 * A failure our own code raises inside an evaluation, with a message fit for users. Cheap (no stack trace) and
 * unwrapped from whatever JEXL wraps it in.
 */
final class EvaluationFailure extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private EvaluationFailure(String message) {
        super(message, null, false, false);
    }

    static EvaluationFailure of(String message) {
        return new EvaluationFailure(message);
    }

    /**
     * A limit was hit: the running evaluation is also cancelled, so a script's {@code try/catch} cannot swallow the
     * failure and carry on.
     */
    static EvaluationFailure limit(String message) {
        Evaluation current = Evaluation.current();
        if (current != null) {
            current.stop(message);
        }
        return new EvaluationFailure(message);
    }
}
