package dev.tributary.functions;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tributary.dsl.model.FunctionDef;
import java.time.Duration;
import java.util.Map;

/** {@link FunctionFixtures} for the runtimes' tests in other packages: functions from YAML and the jobs a runtime is handed. */
public final class RuntimeFixtures {

    private RuntimeFixtures() {
    }

    public static FunctionDef function(String yaml) {
        return FunctionFixtures.function(yaml);
    }

    public static JsonNode json(String text) {
        return FunctionFixtures.json(text);
    }

    /** A job with the function's own timeout and no env. */
    public static Job job(FunctionDef function, String inputJson) {
        return job(function, inputJson, function.limits().timeout(), Map.of());
    }

    public static Job job(FunctionDef function, String inputJson, Duration timeout) {
        return job(function, inputJson, timeout, Map.of());
    }

    public static Job job(FunctionDef function, String inputJson, Duration timeout, Map<String, String> env) {
        return job(function, inputJson, timeout, env, "act-1");
    }

    public static Job job(FunctionDef function, String inputJson, Duration timeout, Map<String, String> env, String activationId) {
        Invocation invocation = new Invocation(function, 1, json(inputJson), activationId, "run-1/step/1", 1, "run-1", "step", timeout);
        return new Job(invocation, env, timeout);
    }
}
