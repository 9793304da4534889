package dev.tributary.engine.core;

import dev.tributary.dsl.expr.SecretResolver;

/**
 * Advances a run by one signal: {@code step(plan, state, signal) → Transition}. Pure: no I/O, no
 * clock but the signal's instant, deterministic (uuid() is seeded by run and seq), so replaying a
 * run's recorded signals rebuilds it. Thread-safe; the given state is never modified.
 */
public final class Interpreter {

    private final InterpreterLimits limits;
    private final SecretResolver secrets;

    public Interpreter(InterpreterLimits limits, SecretResolver secrets) {
        this.limits = limits;
        this.secrets = secrets;
    }

    /**
     * @param state the run's current state; null exactly when the signal is {@link Signal.Start}
     */
    public Transition step(WorkflowPlan plan, RunState state, Signal signal) {
        throw new UnsupportedOperationException("being written");
    }
}
