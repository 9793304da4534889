package dev.tributary.engine.node;

import static dev.tributary.engine.node.NodeFixture.get;
import static dev.tributary.engine.node.NodeFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tributary.connectors.EventPublisher;
import dev.tributary.connectors.functions.EventEmitFunction;
import dev.tributary.dsl.load.SourceText;
import dev.tributary.dsl.model.FunctionDef;
import dev.tributary.engine.core.RunStatus;
import dev.tributary.engine.store.JdbcRunStore;
import dev.tributary.functions.BuiltInFunctions;
import dev.tributary.functions.ExprRuntime;
import dev.tributary.functions.FunctionRuntime;
import dev.tributary.functions.Functions;
import dev.tributary.functions.Invocation;
import dev.tributary.functions.InvocationResult;
import dev.tributary.functions.Job;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The built-in connector functions on a node over H2, as workflow steps and direct invocations call them. */
class NodeConnectorFunctionsTest {

    private static final String PROFILE = """
            workflow: profile
            steps:
              - name: save
                call: table.put
                with: { table: customers, item: { PartitionKey: eu, RowKey: "${ data.id }", name: "${ data.name }" } }
                result: saved
              - name: other
                call: table.put
                with: { table: customers, item: { PartitionKey: eu, RowKey: "a-first", name: Bea } }
                result: false
              - name: read
                call: table.get
                with: { table: customers, partitionKey: eu, rowKey: "${ data.id }" }
                result: read
              - name: list
                call: table.query
                with: { table: customers, partitionKey: eu, limit: 10 }
                result: listed
              - name: remove
                call: table.delete
                with: { table: customers, partitionKey: eu, rowKey: "${ data.id }" }
                result: removed
              - name: gone
                call: table.get
                with: { table: customers, partitionKey: eu, rowKey: "${ data.id }" }
                result: gone
              - name: announce
                call: event.emit
                with: { type: customer.removed, subject: "${ data.id }", data: { name: "${ data.name }" } }
                result: emitted
            """;

    @TempDir
    Path dataDir;
    private final SettableClock clock = new SettableClock(Instant.parse("2026-03-01T09:00:00Z"));
    private final List<Engine.EventReceipt> receipts = new CopyOnWriteArrayList<>();
    private Map<String, FunctionRuntime> connectors;
    private Node node;

    @BeforeEach
    void startNode() {
        NodeConfig config = NodeConfig.defaults(dataDir).withClock(clock).withManualTimers().withShards(2).withNodeId("test-node");
        JdbcRunStore store = NodeStore.open(config);
        // as Node.start does: event.emit publishes through the node once it is there
        CompletableFuture<Node> started = new CompletableFuture<>();
        EventPublisher events = event -> started.thenCompose(n -> n.publish(event)).thenApply(receipt -> {
            receipts.add(receipt);
            return receipt.id();
        });
        connectors = ConnectorFunctions.of(store, config, events, ConnectorFunctions.Written.NONE);
        Functions.Builder functions = Functions.builder().clock(clock)
                .runtime(FunctionDef.Runtime.EXPR, new ExprRuntime(clock, Functions.DEFAULT_MAX_PAYLOAD_BYTES));
        connectors.forEach(functions::connector);
        node = Node.start(config, store, store.activations(), functions.build());
        started.complete(node);
    }

    @AfterEach
    void closeNode() {
        node.close();
    }

    @Test
    void registersEveryTableHttpAndEventConnector() {
        assertThat(connectors.keySet()).containsExactlyInAnyOrder("table.put", "table.get", "table.query", "table.delete",
                "queue.send", "stream.put", "http.request", "event.emit");
        assertThat(connectors.keySet()).allMatch(BuiltInFunctions::isBuiltIn);
    }

    @Test
    void aWorkflowPutsGetsQueriesDeletesAndEmits() {
        // given
        node.deploy(List.of(new SourceText("profile.yaml", PROFILE)));

        // when
        RunView run = get(node.awaitEnd(get(node.startRun("profile", json("{\"id\": \"c-1\", \"name\": \"Ada\"}"), null)).id(),
                Duration.ofSeconds(10)));

        // then
        assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
        JsonNode data = run.data();
        assertThat(data.get("saved").get("etag").asText()).isNotBlank();
        assertThat(data.get("read")).isEqualTo(json("{\"PartitionKey\": \"eu\", \"RowKey\": \"c-1\", \"name\": \"Ada\"}"));
        assertThat(data.get("listed").get("items")).extracting(i -> i.get("RowKey").asText()).containsExactly("a-first", "c-1");
        assertThat(data.get("listed").get("cursor").isNull()).isTrue();
        assertThat(data.get("removed")).isEqualTo(json("{\"deleted\": true}"));
        assertThat(data.get("gone").isNull()).isTrue();
        String eventId = data.get("emitted").get("id").asText();
        assertThat(eventId).isEqualTo(EventEmitFunction.eventId(run.id() + "/announce/1"));
        assertThat(receipts).containsExactly(new Engine.EventReceipt(eventId, false, List.of(), List.of()));
    }

    @Test
    void theSameActivationEmittingAgainIsAcceptedOnce() {
        // given: an activation of event.emit tried twice, as after a crash, and a next attempt
        FunctionRuntime emit = connectors.get("event.emit");

        // when
        String first = emitted(emit.invoke(job("event.emit", "{\"type\": \"t\", \"data\": 1}", "r-9/step/1")).join().result());
        String again = emitted(emit.invoke(job("event.emit", "{\"type\": \"t\", \"data\": 1}", "r-9/step/1")).join().result());
        String next = emitted(emit.invoke(job("event.emit", "{\"type\": \"t\", \"data\": 1}", "r-9/step/2")).join().result());

        // then
        assertThat(again).isEqualTo(first);
        assertThat(next).isNotEqualTo(first);
        assertThat(receipts).containsExactly(new Engine.EventReceipt(first, false, List.of(), List.of()), new Engine.EventReceipt(first, true, List.of(), List.of()),
                new Engine.EventReceipt(next, false, List.of(), List.of()));
    }

    @Test
    void aDirectInvocationWithInputThatDoesNotFitAnswersInputInvalid() {
        // when
        Engine.InvokeOutcome missingKey = get(node.invoke("table.put", json("{\"table\": \"customers\", \"item\": {\"RowKey\": \"r\"}}")));
        Engine.InvokeOutcome badTable = get(node.invoke("table.get", json("{\"table\": \"9lives\", \"partitionKey\": \"p\", \"rowKey\": \"r\"}")));
        Engine.InvokeOutcome stored = get(node.invoke("table.put", json("{\"table\": \"t\", \"item\": {\"PartitionKey\": \"p\", \"RowKey\": \"r\"}}")));

        // then
        assertThat(missingKey.activation().get("status").asText()).isEqualTo("error");
        assertThat(missingKey.activation().get("error").get("type").asText()).isEqualTo("InputInvalid");
        assertThat(missingKey.activation().get("error").get("message").asText())
                .isEqualTo("Expected 'item.PartitionKey' in the input of table.put, but it is missing");
        assertThat(badTable.activation().get("error").get("message").asText()).startsWith("table.get: Expected a table name");
        assertThat(stored.activation().get("status").asText()).isEqualTo("success");
        assertThat(node.tables().get("t", "p", "r")).isPresent();
    }

    private static Job job(String function, String input, String idempotencyKey) {
        Invocation invocation = new Invocation(BuiltInFunctions.definition(function), 0, json(input), "a-" + idempotencyKey,
                idempotencyKey, 1, null, null, Duration.ofSeconds(10));
        return new Job(invocation, Map.of(), Duration.ofSeconds(10));
    }

    private static String emitted(InvocationResult result) {
        assertThat(result).isInstanceOf(InvocationResult.Success.class);
        return ((InvocationResult.Success) result).result().get("id").asText();
    }
}
