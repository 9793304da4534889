package dev.tributary.dsl.expr;

import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.commons.jexl3.JexlContext;

/**
 * One run of one expression: the read-only variables JEXL sees, the cancellation flag the {@link Watchdog} sets at
 * the deadline, and the reason it was stopped. Unknown variable names read as null.
 */
final class Evaluation implements JexlContext, JexlContext.CancellationHandle {

    private static final java.lang.ThreadLocal<Evaluation> CURRENT = new java.lang.ThreadLocal<>();

    private final EvalContext context;
    private final ExpressionLimits limits;
    private final long deadline;
    private final AtomicBoolean cancelled = new AtomicBoolean();
    private volatile String stopReason;
    private Evaluation previous;

    Evaluation(EvalContext context, ExpressionLimits limits) {
        this.context = context;
        this.limits = limits;
        this.deadline = System.nanoTime() + limits.maxEvaluationTime().toNanos();
    }

    /** The evaluation running on this thread, or null. */
    static Evaluation current() {
        return CURRENT.get();
    }

    void enter() {
        previous = CURRENT.get();
        CURRENT.set(this);
    }

    void exit() {
        CURRENT.set(previous);
    }

    EvalContext context() {
        return context;
    }

    ExpressionLimits limits() {
        return limits;
    }

    long deadline() {
        return deadline;
    }

    boolean pastDeadline() {
        return System.nanoTime() - deadline >= 0;
    }

    /** Stops the evaluation at its next step; the first reason given wins. */
    void stop(String reason) {
        if (stopReason == null) {
            stopReason = reason;
        }
        cancelled.set(true);
    }

    /** Why {@link #stop} was called, or null if it was not. */
    String stopReason() {
        return stopReason;
    }

    @Override
    public AtomicBoolean getCancellation() {
        return cancelled;
    }

    @Override
    public Object get(String name) {
        return context.variable(name);
    }

    /**
     * Every plain name is "defined", so that an unknown variable reads as null instead of failing in strict mode. A
     * dotted name is not: JEXL asks for one ({@code a.b}) only when {@code a} is null, and reading through null must
     * fail unless written {@code a?.b}.
     */
    @Override
    public boolean has(String name) {
        return name.indexOf('.') < 0;
    }

    @Override
    public void set(String name, Object value) {
        // Unreachable: the parser rejects assignments to globals. Refuse anyway.
        throw EvaluationFailure.of("'" + name + "' is read-only");
    }
}
