package dev.tributary.connectors.functions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tributary.functions.BuiltInFunctions;
import dev.tributary.functions.Execution;
import dev.tributary.functions.Invocation;
import dev.tributary.functions.InvocationResult;
import dev.tributary.functions.Job;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Jobs for a built-in connector, as a node hands them over, and reading what came back. */
final class ConnectorJobs {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ConnectorJobs() {
    }

    static Job job(String function, String inputJson, String idempotencyKey, Duration timeout) {
        Invocation invocation = new Invocation(BuiltInFunctions.definition(function), 0, json(inputJson), "a-1", idempotencyKey, 1,
                null, null, timeout);
        return new Job(invocation, Map.of(), timeout);
    }

    static Job job(String function, String inputJson) {
        return job(function, inputJson, "run-1/step/1", Duration.ofSeconds(10));
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    static JsonNode success(Execution execution) {
        assertThat(execution.result()).isInstanceOf(InvocationResult.Success.class);
        return ((InvocationResult.Success) execution.result()).result();
    }

    static InvocationResult.Failure failure(Execution execution) {
        assertThat(execution.result()).isInstanceOf(InvocationResult.Failure.class);
        return (InvocationResult.Failure) execution.result();
    }
}
