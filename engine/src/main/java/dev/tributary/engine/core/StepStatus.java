package dev.tributary.engine.core;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The status of one step while its run executes it, and the changes allowed between them.
 * A step is entered RUNNING (a call or child run in flight, branches or iterations going),
 * WAITING (a timer or an event), or RETRYING (a retry delay), and leaves as SUCCEEDED, FAILED,
 * SKIPPED or CANCELLED.
 */
public enum StepStatus {
    RUNNING, WAITING, RETRYING, SUCCEEDED, FAILED, SKIPPED, CANCELLED;

    private static final Map<StepStatus, Set<StepStatus>> ALLOWED = Map.of(
            RUNNING, EnumSet.of(RUNNING, RETRYING, SUCCEEDED, FAILED, CANCELLED),
            WAITING, EnumSet.of(SUCCEEDED, FAILED, CANCELLED),
            RETRYING, EnumSet.of(RUNNING, CANCELLED),
            SUCCEEDED, EnumSet.noneOf(StepStatus.class),
            FAILED, EnumSet.noneOf(StepStatus.class),
            SKIPPED, EnumSet.noneOf(StepStatus.class),
            CANCELLED, EnumSet.noneOf(StepStatus.class));

    public boolean isFinal() {
        return ALLOWED.get(this).isEmpty();
    }

    public boolean canBecome(StepStatus next) {
        return ALLOWED.get(this).contains(next);
    }

    public StepStatus to(StepStatus next, String step) {
        if (!canBecome(next)) {
            throw new IllegalTransitionException("A step cannot go from " + this + " to " + next + " (step '" + step + "')");
        }
        return next;
    }
}
