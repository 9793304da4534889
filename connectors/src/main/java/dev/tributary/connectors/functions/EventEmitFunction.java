package dev.tributary.connectors.functions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.connectors.EventPublisher;
import dev.tributary.functions.Execution;
import dev.tributary.functions.FailureTypes;
import dev.tributary.functions.FunctionRuntime;
import dev.tributary.functions.InvocationResult;
import dev.tributary.functions.Job;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code event.emit} (SPEC §6): {@code {type, subject?, data}} → {@code {id}}, a CloudEvent
 * published as {@code POST /events} would. Its id is a name-based UUID of the activation's
 * idempotency key, so an activation tried again (a node died after publishing) publishes the same
 * event, which the inbox accepts once; a step's next attempt has a new key and emits anew.
 */
public final class EventEmitFunction implements FunctionRuntime {

    public static final String NAME = "event.emit";
    public static final String SOURCE = "/functions/event.emit";

    private final Clock clock;
    private final EventPublisher events;

    public EventEmitFunction(Clock clock, EventPublisher events) {
        this.clock = clock;
        this.events = events;
    }

    /** The id of the event emitted by the activation with {@code idempotencyKey}. */
    public static String eventId(String idempotencyKey) {
        return UUID.nameUUIDFromBytes((NAME + "/" + idempotencyKey).getBytes(StandardCharsets.UTF_8)).toString();
    }

    @Override
    public CompletableFuture<Execution> invoke(Job job) {
        Instant startedAt = clock.instant();
        long start = System.nanoTime();
        ObjectNode event;
        try {
            event = event(new ConnectorInput(NAME, job.input()), job.invocation().idempotencyKey(), startedAt);
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(ConnectorCall.execution(ConnectorCall.failure(NAME, e), startedAt, start, ""));
        }
        CompletableFuture<String> published;
        try {
            published = events.publish(event);
        } catch (RuntimeException e) {
            published = CompletableFuture.failedFuture(e);
        }
        return published
                .orTimeout(job.timeout().toNanos(), TimeUnit.NANOSECONDS)
                .handle((id, error) -> error == null
                        ? (InvocationResult) new InvocationResult.Success(JsonNodeFactory.instance.objectNode().put("id", id))
                        : failure(error, job))
                .thenApply(result -> ConnectorCall.execution(result, startedAt, start, ""));
    }

    private static ObjectNode event(ConnectorInput in, String idempotencyKey, Instant now) {
        String type = in.text("type");
        if (type.isBlank()) {
            throw new ConnectorInput.Invalid("Expected 'type' in the input of " + NAME + " to be a non-empty string, but it is blank");
        }
        String subject = in.optionalText("subject");
        JsonNode data = in.any("data");
        ObjectNode event = JsonNodeFactory.instance.objectNode();
        event.put("specversion", "1.0");
        event.put("id", eventId(idempotencyKey));
        event.put("source", SOURCE);
        event.put("type", type);
        if (subject != null) {
            event.put("subject", subject);
        }
        event.put("time", now.toString());
        event.put("datacontenttype", "application/json");
        event.set("data", data);
        return event;
    }

    private static InvocationResult failure(Throwable error, Job job) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof TimeoutException) {
            return new InvocationResult.Failure(FailureTypes.TIMEOUT, NAME + " could not publish within " + job.timeout());
        }
        return cause instanceof RuntimeException e ? ConnectorCall.failure(NAME, e)
                : new InvocationResult.Failure(FailureTypes.FUNCTION_ERROR, NAME + " failed: " + cause);
    }
}
