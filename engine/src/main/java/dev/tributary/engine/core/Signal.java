package dev.tributary.engine.core;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * Something that happened to a run, fed to {@link Interpreter#step}: the only way a run moves.
 * Every signal carries the instant it is applied at; the interpreter reads no other clock.
 * Signals name the pending operation they answer ({@code opId}); one whose operation is no
 * longer pending (late, duplicate, or cancelled) changes nothing.
 */
public sealed interface Signal {

    Instant at();

    /** Start a new run. {@code parent} is set for a child run started by a {@code workflow:} step. */
    record Start(RunId run, JsonNode input, JsonNode event, Parent parent, Instant at) implements Signal {
    }

    /** The run that started a child run and the operation in it waiting for the child's end. */
    record Parent(String runId, String opId) {
    }

    record CallSucceeded(String opId, JsonNode result, Instant at) implements Signal {
    }

    record CallFailed(String opId, ErrorInfo error, Instant at) implements Signal {
    }

    record TimerFired(String timerId, Instant at) implements Signal {
    }

    record EventReceived(String waitId, JsonNode event, Instant at) implements Signal {
    }

    /** A child run ended; {@code output} on success, {@code error} otherwise. */
    record ChildEnded(String opId, RunStatus status, JsonNode output, ErrorInfo error, Instant at) implements Signal {
    }

    record Cancel(String reason, Instant at) implements Signal {
    }
}
