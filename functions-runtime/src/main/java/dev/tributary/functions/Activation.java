package dev.tributary.functions;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;

/**
 * One execution of a function (SPEC §1, §5): what was asked, how it ended, and what it costs.
 *
 * @param gbSeconds {@code memoryMb / 1024 × duration in seconds}
 * @param cost      {@code gbSeconds ×} the configured price per GB-second
 */
public record Activation(String id, String function, int version, String runId, String step, int attempt,
                         String idempotencyKey, Instant startedAt, Duration duration, int memoryMb, double gbSeconds,
                         double cost, boolean coldStart, InvocationResult result, String logs) {

    public enum Status {
        SUCCESS, ERROR, TIMEOUT;

        public String key() {
            return name().toLowerCase();
        }
    }

    public Status status() {
        if (result instanceof InvocationResult.Failure failure) {
            return FailureTypes.TIMEOUT.equals(failure.type()) ? Status.TIMEOUT : Status.ERROR;
        }
        return Status.SUCCESS;
    }

    /** The result value of a successful activation, else null. */
    public JsonNode value() {
        return result instanceof InvocationResult.Success success ? success.result() : null;
    }
}
