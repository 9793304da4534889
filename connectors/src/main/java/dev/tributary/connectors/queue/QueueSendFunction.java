package dev.tributary.connectors.queue;

import static dev.tributary.connectors.functions.ConnectorInput.describe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.tributary.connectors.PayloadTooLargeException;
import dev.tributary.connectors.functions.ConnectorCall;
import dev.tributary.functions.Execution;
import dev.tributary.functions.FailureTypes;
import dev.tributary.functions.FunctionRuntime;
import dev.tributary.functions.InvocationResult;
import dev.tributary.functions.Job;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The built-in {@code queue.send} (SPEC §6): {@code {queue, message}} → {@code {id}} once the
 * message is durable. Runs on the caller's thread (one short insert); bad input is an
 * {@code InputInvalid} failure naming the field, a store failure is {@code Unavailable}.
 */
public final class QueueSendFunction implements FunctionRuntime {

    public static final String NAME = "queue.send";

    private final QueueStore queues;
    private final Clock clock;
    private final Consumer<String> sent;

    /** @param sent told the queue of every message sent, once it is durable (e.g. to wake this node's consumers of it) */
    public QueueSendFunction(QueueStore queues, Clock clock, Consumer<String> sent) {
        this.queues = queues;
        this.clock = clock;
        this.sent = sent;
    }

    @Override
    public CompletableFuture<Execution> invoke(Job job) {
        Instant startedAt = clock.instant();
        long start = System.nanoTime();
        InvocationResult result = send(job.input());
        return CompletableFuture.completedFuture(ConnectorCall.execution(result, startedAt, start, ""));
    }

    private InvocationResult send(JsonNode input) {
        JsonNode queue = input == null ? null : input.get("queue");
        if (queue == null || !queue.isTextual() || queue.asText().isEmpty()) {
            return invalid("Expected 'queue' in the input of queue.send to be a queue name, but it is "
                    + describe(queue));
        }
        JsonNode message = input.get("message");
        if (message == null || message.isNull()) {
            return invalid("Expected 'message' in the input of queue.send to be a JSON value, but it is " + describe(message));
        }
        String id;
        try {
            id = queues.send(queue.asText(), message);
        } catch (PayloadTooLargeException e) {
            return new InvocationResult.Failure(FailureTypes.LIMIT_EXCEEDED, e.getMessage());
        } catch (IllegalArgumentException e) {
            return invalid("'queue' in the input of queue.send: " + e.getMessage());
        } catch (RuntimeException e) {
            return new InvocationResult.Failure(FailureTypes.UNAVAILABLE, e.getMessage());
        }
        sent.accept(queue.asText());
        return new InvocationResult.Success(JsonNodeFactory.instance.objectNode().put("id", id));
    }

    private static InvocationResult invalid(String message) {
        return new InvocationResult.Failure(FailureTypes.INPUT_INVALID, message);
    }
}
