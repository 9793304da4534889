package dev.tributary.engine.core;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The status of a run (SPEC §5) and, in one table, the changes allowed between them. A run is
 * RUNNING while some step is executing, WAITING while it only waits on timers or events, and
 * ends in exactly one final status.
 */
public enum RunStatus {
    RUNNING, WAITING, SUCCEEDED, FAILED, CANCELLED, TIMED_OUT;

    private static final Set<RunStatus> FINAL = EnumSet.of(SUCCEEDED, FAILED, CANCELLED, TIMED_OUT);

    private static final Map<RunStatus, Set<RunStatus>> ALLOWED = Map.of(
            RUNNING, EnumSet.of(RUNNING, WAITING, SUCCEEDED, FAILED, CANCELLED, TIMED_OUT),
            WAITING, EnumSet.of(WAITING, RUNNING, SUCCEEDED, FAILED, CANCELLED, TIMED_OUT),
            SUCCEEDED, EnumSet.noneOf(RunStatus.class),
            FAILED, EnumSet.noneOf(RunStatus.class),
            CANCELLED, EnumSet.noneOf(RunStatus.class),
            TIMED_OUT, EnumSet.noneOf(RunStatus.class));

    public boolean isFinal() {
        return FINAL.contains(this);
    }

    public boolean canBecome(RunStatus next) {
        return ALLOWED.get(this).contains(next);
    }

    /** The next status, or an {@link IllegalTransitionException} naming the run when the change is not allowed. */
    public RunStatus to(RunStatus next, String runId) {
        if (!canBecome(next)) {
            throw new IllegalTransitionException("A run cannot go from " + this + " to " + next + " (run '" + runId + "')");
        }
        return next;
    }
}
