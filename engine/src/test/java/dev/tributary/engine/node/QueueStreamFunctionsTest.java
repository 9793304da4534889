package dev.tributary.engine.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tributary.connectors.queue.QueueMessage;
import dev.tributary.connectors.queue.QueueStore;
import dev.tributary.connectors.stream.StreamRecord;
import dev.tributary.connectors.stream.StreamStore;
import dev.tributary.engine.store.JdbcRunStore;
import dev.tributary.functions.Activation;
import dev.tributary.functions.BuiltInFunctions;
import dev.tributary.functions.Functions;
import dev.tributary.functions.Invocation;
import dev.tributary.functions.InvocationResult;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code queue.send} and {@code stream.put} as a node registers them, over its H2 store. */
class QueueStreamFunctionsTest {

    @TempDir
    Path dataDir;

    private final SettableClock clock = new SettableClock(Instant.parse("2026-03-01T09:00:00Z"));
    private JdbcRunStore store;
    private Functions functions;

    @BeforeEach
    void open() {
        NodeConfig config = NodeConfig.defaults(dataDir).withClock(clock);
        store = NodeStore.open(config);
        Functions.Builder builder = Functions.builder().clock(clock);
        ConnectorFunctions.of(store, config, event -> null, ConnectorFunctions.Written.NONE).forEach(builder::connector);
        functions = builder.build();
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void queueSendStoresTheMessageAndAnswersItsId() {
        // when
        InvocationResult result = call("queue.send", "{\"queue\": \"orders\", \"message\": {\"orderId\": 7}}");

        // then
        assertThat(result).isInstanceOf(InvocationResult.Success.class);
        String id = ((InvocationResult.Success) result).result().path("id").asText();
        QueueMessage received = store.queues().receive("orders", 1, QueueStore.DEFAULT_VISIBILITY_TIMEOUT, clock.instant()).get(0);
        assertThat(received.id()).isEqualTo(id);
        assertThat(received.message()).isEqualTo(Json.parse("{\"orderId\": 7}"));
    }

    @Test
    void streamPutAppendsTheRecordAndAnswersItsSequenceAndShard() {
        // when
        InvocationResult first = call("stream.put", "{\"stream\": \"clicks\", \"partitionKey\": \"u-1\", \"data\": \"aGk=\"}");
        InvocationResult second = call("stream.put", "{\"stream\": \"clicks\", \"partitionKey\": \"u-1\", \"data\": {\"n\": 2}}");

        // then
        int shard = StreamStore.shardOf("u-1");
        assertThat(success(first).toString()).isEqualTo("{\"sequence\":1,\"shard\":" + shard + "}");
        assertThat(success(second).toString()).isEqualTo("{\"sequence\":2,\"shard\":" + shard + "}");
        assertThat(store.streams().read("clicks", shard, 0, 10)).extracting(StreamRecord::data)
                .containsExactly(Json.parse("\"aGk=\""), Json.parse("{\"n\": 2}"));
    }

    @Test
    void badInputIsInputInvalidNamingTheField() {
        assertThat(call("queue.send", "{\"message\": 1}")).isEqualTo(new InvocationResult.Failure("InputInvalid",
                "Expected 'queue' in the input of queue.send to be a queue name, but it is missing"));
        assertThat(call("queue.send", "{\"queue\": \"orders\"}")).isEqualTo(new InvocationResult.Failure("InputInvalid",
                "Expected 'message' in the input of queue.send to be a JSON value, but it is missing"));
        assertThat(failure(call("queue.send", "{\"queue\": \"Bad Name\", \"message\": 1}")).message())
                .startsWith("'queue' in the input of queue.send: Expected a queue name");
        assertThat(call("stream.put", "{\"stream\": \"clicks\", \"partitionKey\": 5, \"data\": 1}")).isEqualTo(
                new InvocationResult.Failure("InputInvalid", "Expected 'partitionKey' in the input of stream.put to be a string of 1 to 256 "
                        + "characters, but it is a number (5)"));
        assertThat(failure(call("stream.put", "{\"stream\": \"clicks\", \"partitionKey\": \"k\"}")).message())
                .contains("'data'");
        assertThat(failure(call("stream.put", "{\"partitionKey\": \"k\", \"data\": 1}")).message()).contains("'stream'");
    }

    private InvocationResult call(String function, String input) {
        JsonNode in = Json.parse(input);
        Activation activation = functions.invoke(new Invocation(BuiltInFunctions.definition(function), 1, in, "a-1", "a-1", 1,
                null, null, null)).join();
        return activation.result();
    }

    private static JsonNode success(InvocationResult result) {
        assertThat(result).isInstanceOf(InvocationResult.Success.class);
        return ((InvocationResult.Success) result).result();
    }

    private static InvocationResult.Failure failure(InvocationResult result) {
        assertThat(result).isInstanceOf(InvocationResult.Failure.class);
        return (InvocationResult.Failure) result;
    }
}
