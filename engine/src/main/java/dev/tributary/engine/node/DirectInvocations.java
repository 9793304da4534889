package dev.tributary.engine.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.dsl.model.FunctionDef;
import dev.tributary.dsl.model.Kind;
import dev.tributary.functions.BuiltInFunctions;
import dev.tributary.functions.FunctionInvoker;
import dev.tributary.functions.Invocation;
import dev.tributary.functions.InvocationResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * {@code POST /functions/{name}/invoke}: runs a function outside any run and describes the
 * activation ({@code id, function, version, status, startedAt, durationMs, result, error}).
 * Activations are not stored yet: metering and {@code GET /activations} come with the runtimes.
 */
final class DirectInvocations {

    private final Definitions definitions;
    private final FunctionInvoker functions;
    private final Clock clock;

    DirectInvocations(Definitions definitions, FunctionInvoker functions, Clock clock) {
        this.definitions = definitions;
        this.functions = functions;
        this.clock = clock;
    }

    CompletableFuture<Engine.InvokeOutcome> invoke(String name, JsonNode input) {
        Optional<Definitions.Deployed> deployed = definitions.latest(Kind.FUNCTION, name);
        boolean builtIn = BuiltInFunctions.isBuiltIn(name);
        if (deployed.isEmpty() && !builtIn) {
            return CompletableFuture.failedFuture(new EngineException(EngineException.Code.NOT_FOUND, "There is no function '" + name + "'"));
        }
        FunctionDef function = builtIn ? BuiltInFunctions.definition(name) : (FunctionDef) deployed.get().definition();
        int version = builtIn ? 0 : deployed.get().version();
        String id = UUID.randomUUID().toString();
        Instant startedAt = clock.instant();
        Invocation invocation = new Invocation(function, version, input == null ? Json.object() : input, id, 1, null, null,
                function.limits().timeout());
        return functions.invoke(invocation).thenApply(result -> outcome(id, name, version, startedAt, result));
    }

    private Engine.InvokeOutcome outcome(String id, String name, int version, Instant startedAt, InvocationResult result) {
        ObjectNode activation = Json.object();
        activation.put("id", id).put("function", name).put("version", version);
        JsonNode value = null;
        if (result instanceof InvocationResult.Success success) {
            value = success.result();
            activation.put("status", "success");
        } else {
            InvocationResult.Failure failure = (InvocationResult.Failure) result;
            activation.put("status", "Timeout".equals(failure.type()) ? "timeout" : "error");
            activation.set("error", Json.object().put("type", failure.type()).put("message", failure.message()));
        }
        activation.put("startedAt", startedAt.toString());
        activation.put("durationMs", Duration.between(startedAt, clock.instant()).toMillis());
        activation.set("result", value);
        if (!activation.has("error")) {
            activation.putNull("error");
        }
        return new Engine.InvokeOutcome(activation, value);
    }
}
