package dev.tributary.engine.core;

/**
 * Bounds the interpreter enforces on a run (SPEC §4); a run that exceeds one fails with {@code LimitExceeded}.
 *
 * @param maxHistoryEvents     history events per run
 * @param maxDataBytes         size of the run's {@code data} as compact JSON
 * @param maxStepsPerSignal    steps executed in one transition (a guard against loops of instant steps)
 */
public record InterpreterLimits(int maxHistoryEvents, int maxDataBytes, int maxStepsPerSignal) {

    public static final InterpreterLimits DEFAULTS = new InterpreterLimits(25_000, 1 << 20, 10_000);
}
