package dev.tributary.connectors.stream;

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
 * The built-in {@code stream.put} (SPEC §6): {@code {stream, partitionKey, data}} →
 * {@code {sequence, shard}} once the record is durable. Runs on the caller's thread (one short
 * transaction); bad input is an {@code InputInvalid} failure naming the field, a store failure is
 * {@code Unavailable}.
 */
public final class StreamPutFunction implements FunctionRuntime {

    public static final String NAME = "stream.put";

    private final StreamStore streams;
    private final Clock clock;
    private final Consumer<String> put;

    /** @param put told the stream of every record put, once it is durable (e.g. to wake this node's consumers of it) */
    public StreamPutFunction(StreamStore streams, Clock clock, Consumer<String> put) {
        this.streams = streams;
        this.clock = clock;
        this.put = put;
    }

    @Override
    public CompletableFuture<Execution> invoke(Job job) {
        Instant startedAt = clock.instant();
        long start = System.nanoTime();
        InvocationResult result = put(job.input());
        return CompletableFuture.completedFuture(ConnectorCall.execution(result, startedAt, start, ""));
    }

    private InvocationResult put(JsonNode input) {
        JsonNode stream = input == null ? null : input.get("stream");
        if (stream == null || !stream.isTextual() || stream.asText().isEmpty()) {
            return invalid("Expected 'stream' in the input of stream.put to be a stream name, but it is " + describe(stream));
        }
        JsonNode key = input.get("partitionKey");
        if (key == null || !key.isTextual() || key.asText().isEmpty() || key.asText().length() > StreamStore.MAX_PARTITION_KEY_LENGTH) {
            return invalid("Expected 'partitionKey' in the input of stream.put to be a string of 1 to "
                    + StreamStore.MAX_PARTITION_KEY_LENGTH + " characters, but it is " + describe(key));
        }
        JsonNode data = input.get("data");
        if (data == null || data.isNull()) {
            return invalid("Expected 'data' in the input of stream.put to be a JSON value, but it is " + describe(data));
        }
        StreamStore.Appended appended;
        try {
            appended = streams.put(stream.asText(), key.asText(), data);
        } catch (PayloadTooLargeException e) {
            return new InvocationResult.Failure(FailureTypes.LIMIT_EXCEEDED, e.getMessage());
        } catch (IllegalArgumentException e) {
            return invalid("'stream' in the input of stream.put: " + e.getMessage());
        } catch (RuntimeException e) {
            return new InvocationResult.Failure(FailureTypes.UNAVAILABLE, e.getMessage());
        }
        put.accept(stream.asText());
        return new InvocationResult.Success(JsonNodeFactory.instance.objectNode()
                .put("sequence", appended.sequence()).put("shard", appended.shard()));
    }

    private static InvocationResult invalid(String message) {
        return new InvocationResult.Failure(FailureTypes.INPUT_INVALID, message);
    }
}
