package dev.tributary.functions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tributary.dsl.expr.Expressions;
import dev.tributary.dsl.load.DefinitionLoader;
import dev.tributary.dsl.load.KnownNames;
import dev.tributary.dsl.load.LoadResult;
import dev.tributary.dsl.load.SourceText;
import dev.tributary.dsl.model.FunctionDef;
import dev.tributary.dsl.source.ParseLimits;
import java.time.Duration;
import java.util.List;

/** Functions read from YAML the way a deploy reads them, and invocations of them. */
final class FunctionFixtures {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final DefinitionLoader LOADER = new DefinitionLoader(Expressions.sandboxed(), ParseLimits.defaults());

    private FunctionFixtures() {
    }

    static FunctionDef function(String yaml) {
        LoadResult result = LOADER.load(List.of(new SourceText("fn.yaml", yaml)), KnownNames.NONE);
        if (!result.ok()) {
            throw new IllegalArgumentException(result.problems().toString());
        }
        return (FunctionDef) result.definitions().get(0);
    }

    static FunctionDef exprFunction(String expr) {
        return function("function: calc\nruntime: expr\nexpr: \"" + expr + "\"\n");
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    static Invocation invocation(FunctionDef function, String inputJson) {
        return new Invocation(function, 1, json(inputJson), "act-1", "run-1/step/1", 1, "run-1", "step", null);
    }

    static Invocation invocation(FunctionDef function, String inputJson, Duration timeout) {
        return new Invocation(function, 1, json(inputJson), "act-1", "run-1/step/1", 1, "run-1", "step", timeout);
    }

    static Job job(FunctionDef function, String inputJson) {
        Invocation invocation = invocation(function, inputJson);
        return new Job(invocation, java.util.Map.of(), invocation.effectiveTimeout());
    }
}
