package dev.tributary.engine.core;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * One entry of a run's history (SPEC §5): a past-tense fact, numbered from 1 in the order it
 * happened. {@code step} is the step's path inside the run ({@code ship[0]/label}), null for
 * run-level events; {@code data} is an object or null.
 */
public record HistoryEvent(long seq, Type type, String step, Instant at, JsonNode data) {

    public enum Type {
        RunStarted, StepStarted, StepSucceeded, StepFailed, StepRetrying, StepSkipped, BranchTaken,
        TimerStarted, TimerFired, EventAwaited, EventReceived, RunSucceeded, RunFailed, RunCancelled, RunTimedOut
    }
}
