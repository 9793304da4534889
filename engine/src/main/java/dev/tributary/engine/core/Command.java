package dev.tributary.engine.core;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tributary.dsl.model.Ref;
import java.time.Duration;
import java.time.Instant;

/**
 * Work the interpreter asks of the outside world after a transition is committed. Each command
 * except {@link CancelChild} and {@link RunEnded} becomes a durable task keyed by its id; the
 * transition that consumes the task's answer lists it in {@link Transition#finishedTasks()}.
 */
public sealed interface Command {

    /** Run a function. {@code idempotencyKey} is {@code <runId>/<step path>/<attempt>} (SPEC §3). */
    record InvokeFunction(String opId, Ref function, JsonNode input, String step, int attempt, String idempotencyKey,
                          Duration timeout) implements Command {
    }

    /** Fire {@link Signal.TimerFired} with this id at or after {@code dueAt}. */
    record StartTimer(String timerId, Instant dueAt) implements Command {
    }

    /** Deliver the next event of this type whose subject is {@code key} as {@link Signal.EventReceived}. */
    record AwaitEvent(String waitId, String type, String key) implements Command {
    }

    /** Start a child run with this id and answer with {@link Signal.ChildEnded} when it ends. */
    record StartChild(String opId, String childRunId, Ref workflow, JsonNode input) implements Command {
    }

    /** Cancel a child run whose result is no longer wanted. */
    record CancelChild(String childRunId) implements Command {
    }

    /** Publish a CloudEvent; {@code eventId} is stable so a re-dispatch after a crash is deduplicated. */
    record Emit(String eventId, String type, String subject, JsonNode data) implements Command {
    }

    /** The run reached a final status (tell a parent run, waiting callers, run-event subscribers). */
    record RunEnded(RunStatus status, JsonNode output, ErrorInfo error) implements Command {
    }
}
