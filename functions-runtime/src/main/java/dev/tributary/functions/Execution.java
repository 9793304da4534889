package dev.tributary.functions;

import java.time.Duration;
import java.time.Instant;

/**
 * How a runtime ran one job: the outcome and the facts metering needs.
 *
 * @param startedAt when the code began to run (after any wait in line for a worker)
 * @param duration  what is billed: from taking a worker (a cold start included) to the answer
 * @param coldStart whether a new worker had to be started for this activation
 * @param logs      what the code wrote to stdout/stderr, at most {@link ActivationLogs#MAX_BYTES}, marked when cut
 */
public record Execution(InvocationResult result, Instant startedAt, Duration duration, boolean coldStart, String logs) {

    public Execution {
        logs = logs == null ? "" : logs;
    }
}
