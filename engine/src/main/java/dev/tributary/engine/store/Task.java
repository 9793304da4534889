package dev.tributary.engine.store;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * The durable form of a command (transactional outbox), keyed by (run, id). {@code dueAt} is set
 * for timers, {@code waitType}/{@code waitKey} for event waits; {@code payload} is what the
 * dispatcher needs to carry the command out.
 */
public record Task(String runId, String id, Kind kind, Instant dueAt, String waitType, String waitKey, JsonNode payload) {

    public enum Kind {
        /** Run a function. */
        INVOKE,
        /** Fire at {@code dueAt}. */
        TIMER,
        /** Start a child run. */
        CHILD,
        /** Publish an event. */
        EMIT,
        /** Wait for an event of {@code waitType} with subject {@code waitKey}. */
        WAIT,
        /** Tell the parent run (or a caller) that this run ended. */
        NOTIFY,
        /** Cancel a child run whose result is no longer wanted. */
        CANCEL
    }
}
