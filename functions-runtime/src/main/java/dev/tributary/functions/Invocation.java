package dev.tributary.functions;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tributary.dsl.model.FunctionDef;
import java.time.Duration;

/**
 * One request to run a function version with an input.
 *
 * @param activationId   the id the activation is recorded under (and the function's context shows)
 * @param idempotencyKey {@code <runId>/<step path>/<attempt>} for workflow steps (SPEC §3), the activation id otherwise
 * @param attempt        from 1
 * @param runId          the run the call belongs to, or null for a direct invocation
 * @param step           the step path inside that run, or null
 * @param timeout        the bound for this activation (the step's, else the function's own)
 */
public record Invocation(FunctionDef function, int version, JsonNode input, String activationId, String idempotencyKey,
                         int attempt, String runId, String step, Duration timeout) {

    /** The bound that applies: this invocation's, else the function's own. */
    public Duration effectiveTimeout() {
        return timeout != null ? timeout : function.limits().timeout();
    }
}
