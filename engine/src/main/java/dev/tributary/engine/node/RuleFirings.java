package dev.tributary.engine.node;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tributary.dsl.expr.EvalContext;
import dev.tributary.dsl.expr.ExpressionError;
import dev.tributary.dsl.expr.SecretResolver;
import dev.tributary.dsl.model.FunctionDef;
import dev.tributary.dsl.model.Kind;
import dev.tributary.engine.core.ErrorInfo;
import dev.tributary.engine.store.InboxEvent;
import dev.tributary.engine.store.RuleFiring;
import dev.tributary.functions.BuiltInFunctions;
import dev.tributary.functions.Invocation;
import dev.tributary.functions.InvocationResult;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Serves one rule for one event: asks its {@code if}, builds its input with {@code with} (default
 * the event's {@code data}), then starts its workflow (idempotency key {@code <event id>/<rule>},
 * so a re-route after a crash finds the run it started) or invokes its function (idempotency key
 * the same; functions run at least once). What happened becomes a {@link RuleFiring}; nothing
 * here fails its future.
 */
final class RuleFirings {

    /** A rule being served: {@code started} once its run is durable or its function is on its way; {@code done} once served. */
    record Fired(RuleBook.Rule rule, CompletableFuture<Void> started, CompletableFuture<Served> done) {
    }

    /** How a rule was served, and a function rule's result (null otherwise). */
    record Served(RuleFiring firing, JsonNode result) {
    }

    private static final int MAX_IDEMPOTENCY_KEY = 255;
    /** Refusals of a run start that are the rule's outcome, by the error type they are recorded as. */
    private static final Map<EngineException.Code, String> FINAL = Map.of(
            EngineException.Code.INPUT_INVALID, ErrorInfo.INPUT_INVALID,
            EngineException.Code.LIMIT_EXCEEDED, ErrorInfo.LIMIT_EXCEEDED,
            EngineException.Code.NOT_FOUND, "WorkflowNotFound",
            EngineException.Code.BAD_REQUEST, ErrorInfo.INPUT_INVALID);

    private final NodeParts parts;
    private final RunStarts starts;

    RuleFirings(NodeParts parts, RunStarts starts) {
        this.parts = parts;
        this.starts = starts;
    }

    /** Null when the rule's {@code if} is false: the rule does not fire. */
    Fired fire(RuleBook.Rule rule, InboxEvent event) {
        JsonNode input;
        try {
            EvalContext context = EvalContext.builder().event(event.cloudEvent()).now(parts.clock().instant())
                    .uuids(() -> UUID.randomUUID().toString())
                    // no secrets: what `with` makes is stored as the run's input or the activation's, in the clear
                    .secrets(SecretResolver.NONE).build();
            if (rule.condition() != null && !rule.condition().test(context)) {
                return null;
            }
            input = rule.with() == null ? event.cloudEvent().path("data") : rule.with().evaluate(context);
            if (input.isMissingNode()) {
                input = com.fasterxml.jackson.databind.node.NullNode.getInstance();
            }
        } catch (ExpressionError e) {
            return done(rule, failed(rule, event, ExpressionError.TYPE,
                    "rule '" + rule.name() + "': " + e.getMessage()));
        }
        String key = idempotencyKey(event.id(), rule.name());
        return rule.target().kind() == Kind.WORKFLOW ? startRun(rule, event, input, key) : invoke(rule, event, input, key);
    }

    private Fired startRun(RuleBook.Rule rule, InboxEvent event, JsonNode input, String key) {
        CompletableFuture<Served> done;
        try {
            // the key is <event id>/<rule>: taken only when a crash interrupted this event's routing, and the start finds that run
            done = starts.start(rule.target().ref().toString(), input, event.cloudEvent(), key, false)
                    .thenApply(run -> new Served(firing(rule, event, run.id(), null, null, null), null));
        } catch (RuntimeException e) {
            done = CompletableFuture.failedFuture(e);
        }
        // a refusal that another try would only repeat is the rule's outcome; anything else (the node stopping, the
        // store failing) fails the firing, so the event stays unrouted and is routed again later
        done = done.handle((served, e) -> {
            if (e == null) {
                return served;
            }
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            if (cause instanceof EngineException engine && FINAL.containsKey(engine.code())) {
                return new Served(failed(rule, event, FINAL.get(engine.code()), cause.getMessage()), null);
            }
            throw cause instanceof RuntimeException r ? r : new CompletionException(cause);
        });
        return new Fired(rule, done.thenApply(f -> null), done);
    }

    private Fired invoke(RuleBook.Rule rule, InboxEvent event, JsonNode input, String key) {
        String name = rule.target().ref().name();
        boolean builtIn = BuiltInFunctions.isBuiltIn(name);
        Optional<Definitions.Deployed> deployed = builtIn ? Optional.empty()
                : parts.definitions().version(Kind.FUNCTION, name, rule.target().ref().version());
        if (!builtIn && deployed.isEmpty()) {
            return done(rule, failed(rule, event, ErrorInfo.FUNCTION_NOT_FOUND, "function '" + rule.target().ref()
                    + "' is not deployed"));
        }
        FunctionDef function = builtIn ? BuiltInFunctions.definition(name) : (FunctionDef) deployed.get().definition();
        int version = deployed.map(Definitions.Deployed::version).orElse(0);
        String activationId = parts.ids().next();
        Invocation invocation = new Invocation(function, version, input, activationId, key, 1, null, null,
                function.limits().timeout());
        CompletableFuture<Served> done = parts.functions().invoke(invocation).thenApply(activation -> {
            parts.activations().record(activation);
            return activation.result() instanceof InvocationResult.Failure failure
                    ? new Served(firing(rule, event, null, activationId, failure.type(), failure.message()), null)
                    : new Served(firing(rule, event, null, activationId, null, null), activation.value());
        });
        return new Fired(rule, CompletableFuture.completedFuture(null), done);
    }

    private static Fired done(RuleBook.Rule rule, RuleFiring firing) {
        return new Fired(rule, CompletableFuture.completedFuture(null), CompletableFuture.completedFuture(new Served(firing, null)));
    }

    private RuleFiring failed(RuleBook.Rule rule, InboxEvent event, String type, String message) {
        return firing(rule, event, null, null, type, message);
    }

    /** Recorded under the rule's trigger: an {@code event:} trigger's rules fire for events of any source. */
    private RuleFiring firing(RuleBook.Rule rule, InboxEvent event, String runId, String activationId,
                              String errorType, String errorMessage) {
        return new RuleFiring(event.id(), rule.name(), rule.trigger(), rule.target().kindKey(), rule.target().ref().toString(), runId,
                activationId, errorType, errorMessage, parts.clock().instant());
    }

    /** {@code <event id>/<rule>}, or its SHA-256 when that would not fit the runs' key column. */
    static String idempotencyKey(String eventId, String rule) {
        String key = eventId + "/" + rule;
        if (key.length() <= MAX_IDEMPOTENCY_KEY) {
            return key;
        }
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Expected every JVM to have SHA-256", e);
        }
    }
}
