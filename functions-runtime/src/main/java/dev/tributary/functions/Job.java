package dev.tributary.functions;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tributary.dsl.model.FunctionDef;
import java.time.Duration;
import java.util.Map;

/**
 * What a {@link FunctionRuntime} is handed: the invocation, the function's {@code env} with its
 * expressions (secrets) already resolved, and the time it may take. The runtime enforces the
 * timeout itself (it must kill what it started); {@link Functions} only keeps a backstop.
 */
public record Job(Invocation invocation, Map<String, String> env, Duration timeout) {

    public Job {
        env = Map.copyOf(env);
    }

    public FunctionDef function() {
        return invocation.function();
    }

    public JsonNode input() {
        return invocation.input();
    }
}
