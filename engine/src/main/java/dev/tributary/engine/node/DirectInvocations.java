package dev.tributary.engine.node;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tributary.dsl.model.FunctionDef;
import dev.tributary.dsl.model.Kind;
import dev.tributary.functions.Activation;
import dev.tributary.functions.BuiltInFunctions;
import dev.tributary.functions.FunctionInvoker;
import dev.tributary.functions.Invocation;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.concurrent.CompletableFuture;

/**
 * {@code POST /functions/{name}/invoke}: runs a function outside any run, records the activation
 * and, once it is stored (or could not be: the recorder has logged why), answers it with its result. The activation id is also its idempotency key.
 */
final class DirectInvocations {

    private final Definitions definitions;
    private final FunctionInvoker functions;
    private final ActivationRecorder recorder;
    private final RunIds ids;
    private final Consumer<Activation> ended;

    /** @param ended told of every activation once it is recorded (the engine's own events) */
    DirectInvocations(Definitions definitions, FunctionInvoker functions, ActivationRecorder recorder, RunIds ids,
                      Consumer<Activation> ended) {
        this.definitions = definitions;
        this.functions = functions;
        this.recorder = recorder;
        this.ids = ids;
        this.ended = ended;
    }

    CompletableFuture<Engine.InvokeOutcome> invoke(String name, JsonNode input) {
        Optional<Definitions.Deployed> deployed = definitions.latest(Kind.FUNCTION, name);
        boolean builtIn = BuiltInFunctions.isBuiltIn(name);
        if (deployed.isEmpty() && !builtIn) {
            return CompletableFuture.failedFuture(new EngineException(EngineException.Code.NOT_FOUND, "There is no function '" + name + "'"));
        }
        FunctionDef function = builtIn ? BuiltInFunctions.definition(name) : (FunctionDef) deployed.get().definition();
        int version = builtIn ? 0 : deployed.get().version();
        String id = ids.next();
        Invocation invocation = new Invocation(function, version, input == null ? Json.object() : input, id, id, 1, null, null,
                function.limits().timeout());
        // answered once the activation is stored, so GET /activations/{id} finds it right after
        return functions.invoke(invocation).thenCompose(activation -> recorder.recordDurably(activation)
                .handle((stored, notStored) -> {
                    ended.accept(activation);
                    return new Engine.InvokeOutcome(ActivationJson.of(activation, true), activation.value());
                }));
    }
}
