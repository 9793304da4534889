package dev.tributary.engine.node;

import static dev.tributary.engine.node.NodeFixture.get;
import static dev.tributary.engine.node.NodeFixture.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tributary.engine.core.HistoryEvent;
import dev.tributary.engine.core.RunStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeRunsTest {

    @TempDir
    Path dataDir;
    private NodeFixture fixture;
    private Node node;

    @BeforeEach
    void startNode() {
        fixture = new NodeFixture(dataDir);
        node = fixture.start();
    }

    @AfterEach
    void closeNode() {
        fixture.close();
    }

    @Test
    void runsTheOrderWorkflowToTheEnd() {
        // given
        node.deploy(TestWorkflows.files(TestWorkflows.ORDERS));

        // when
        RunView started = fixture.start("order-fulfilment", "{\"orderId\": \"o-1\", \"total\": 100, \"email\": \"a@b.c\"}");
        RunView ended = fixture.awaitEnd(started.id());

        // then
        assertThat(ended.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(ended.workflow()).isEqualTo("order-fulfilment");
        assertThat(ended.version()).isEqualTo(1);
        assertThat(ended.data().path("receipt").asText()).isEqualTo("rcpt-100");
        assertThat(ended.data().path("ship").toString()).contains("TRK-o-1").contains("a@b.c");
        List<HistoryEvent> history = node.history(started.id());
        assertThat(history).extracting(HistoryEvent::type).startsWith(HistoryEvent.Type.RunStarted)
                .endsWith(HistoryEvent.Type.RunSucceeded);
        assertThat(history).extracting(HistoryEvent::seq).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void anInvalidDeployListsEveryProblemWithItsPlace() {
        // given
        String broken = """
                workflow: broken
                steps:
                  - name: a
                    call: nowhere.to.be.found
                """;

        // when / then
        assertThatThrownBy(() -> node.deploy(TestWorkflows.files(broken)))
                .isInstanceOfSatisfying(EngineException.class, e -> {
                    assertThat(e.code()).isEqualTo(EngineException.Code.INVALID_DEFINITION);
                    JsonNode detail = e.details().get(0);
                    assertThat(detail.path("file").asText()).isEqualTo("test-0.yaml");
                    assertThat(detail.path("line").asInt()).isEqualTo(4);
                    assertThat(detail.path("path").asText()).isEqualTo("steps[0].call");
                    assertThat(detail.path("message").asText()).contains("nowhere.to.be.found");
                });
        assertThat(node.workflows()).isEmpty();
    }

    @Test
    void redeployingAChangedWorkflowMakesANewVersionAndUnchangedKeepsIt() {
        // given
        node.deploy(TestWorkflows.files(TestWorkflows.NAP));

        // when
        var same = node.deploy(TestWorkflows.files(TestWorkflows.NAP));
        var changed = node.deploy(TestWorkflows.files(TestWorkflows.NAP.replace("wait: 1h", "wait: 2h")));

        // then
        assertThat(same).containsExactly(new Engine.Deployed("workflow", "nap", 1));
        assertThat(changed).containsExactly(new Engine.Deployed("workflow", "nap", 2));
        WorkflowInfo info = node.workflow("nap").orElseThrow();
        assertThat(info.version()).isEqualTo(2);
        assertThat(info.versions()).containsExactly(1, 2);
        assertThat(info.definition().path("workflow").asText()).isEqualTo("nap");
    }

    @Test
    void anInputThatFailsTheSchemaIsRefused() {
        // given
        node.deploy(TestWorkflows.files(TestWorkflows.ORDERS));

        // when / then
        assertThatThrownBy(() -> fixture.start("order-fulfilment", "{\"orderId\": \"o-1\"}"))
                .isInstanceOfSatisfying(EngineException.class, e -> {
                    assertThat(e.code()).isEqualTo(EngineException.Code.INPUT_INVALID);
                    assertThat(e.getMessage()).contains("total");
                    assertThat(e.details()).isNotEmpty();
                });
    }

    @Test
    void anUnknownWorkflowIsNotFound() {
        assertThatThrownBy(() -> fixture.start("nothing", "{}"))
                .isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.code()).isEqualTo(EngineException.Code.NOT_FOUND));
    }

    @Test
    void anEventResumesAWaitingRun() {
        // given a big order, which waits for a review
        node.deploy(TestWorkflows.files(TestWorkflows.ORDERS));
        RunView run = fixture.start("order-fulfilment", "{\"orderId\": \"o-2\", \"total\": 5000}");
        awaitStatus(run.id(), RunStatus.WAITING);

        // when
        Engine.EventReceipt receipt = get(node.publish(json("""
                {"specversion": "1.0", "id": "ev-1", "source": "test", "type": "review.decided", "subject": "o-2",
                 "data": {"approved": true}}""")));
        Engine.EventReceipt again = get(node.publish(json("""
                {"specversion": "1.0", "id": "ev-1", "source": "test", "type": "review.decided", "subject": "o-2"}""")));

        // then
        assertThat(receipt).isEqualTo(new Engine.EventReceipt("ev-1", false, List.of(), List.of()));
        assertThat(again).isEqualTo(new Engine.EventReceipt("ev-1", true, List.of(), List.of()));
        RunView ended = fixture.awaitEnd(run.id());
        assertThat(ended.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(ended.data().path("decision").path("data").path("approved").asBoolean()).isTrue();
    }

    @Test
    void aWaitTimesOutWhenTheClockPassesItsTimeout() {
        // given
        node.deploy(TestWorkflows.files(TestWorkflows.ORDERS));
        RunView run = fixture.start("order-fulfilment", "{\"orderId\": \"o-3\", \"total\": 5000}");
        awaitStatus(run.id(), RunStatus.WAITING);

        // when
        fixture.clock.tick(Duration.ofDays(1));
        int early = node.runDue();
        fixture.clock.tick(Duration.ofDays(1).plusSeconds(1));
        int due = node.runDue();

        // then
        assertThat(early).isZero();
        assertThat(due).isGreaterThanOrEqualTo(1);
        RunView ended = fixture.awaitEnd(run.id());
        assertThat(ended.status()).isEqualTo(RunStatus.FAILED);
        assertThat(ended.error().path("type").asText()).isEqualTo("PaymentDeclined");
        assertThat(ended.error().path("message").asText()).isEqualTo("order o-3 declined");
    }

    @Test
    void aDurationWaitEndsAfterItsTime() {
        // given
        node.deploy(TestWorkflows.files(TestWorkflows.NAP));
        RunView run = fixture.start("nap", "{}");
        assertThat(run.status()).isEqualTo(RunStatus.WAITING);

        // when
        fixture.clock.tick(Duration.ofMinutes(59));
        node.runDue();
        assertThat(node.run(run.id()).orElseThrow().status()).isEqualTo(RunStatus.WAITING);
        fixture.clock.tick(Duration.ofMinutes(1));
        node.runDue();

        // then
        RunView ended = fixture.awaitEnd(run.id());
        assertThat(ended.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(ended.data().path("woke").asBoolean()).isTrue();
        assertThat(ended.endedAt()).isEqualTo(fixture.clock.instant());
    }

    @Test
    void cancellingAWaitingRunEndsItAndASecondCancelConflicts() {
        // given
        node.deploy(TestWorkflows.files(TestWorkflows.NAP));
        RunView run = fixture.start("nap", "{}");

        // when
        RunView cancelled = get(node.cancel(run.id()));

        // then
        assertThat(cancelled.status()).isEqualTo(RunStatus.CANCELLED);
        assertThat(fixture.awaitEnd(run.id()).status()).isEqualTo(RunStatus.CANCELLED);
        assertThatThrownBy(() -> get(node.cancel(run.id())))
                .isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.code()).isEqualTo(EngineException.Code.CONFLICT));
        assertThatThrownBy(() -> get(node.cancel("no-such-run")))
                .isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.code()).isEqualTo(EngineException.Code.NOT_FOUND));
    }

    @Test
    void cancellingAParentCancelsTheChildRunItWaitsFor() {
        // given: a parent waiting on a child that waits for an event
        node.deploy(java.util.List.of(new dev.tributary.dsl.load.SourceText("family.yaml", """
                workflow: parent
                steps:
                  - { name: sub, workflow: child }
                ---
                workflow: child
                steps:
                  - { name: hold, wait: { event: never.happens, key: x } }
                """)));
        RunView parent = fixture.start("parent", "{}");
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() ->
                node.runs(new dev.tributary.engine.store.RunQuery("child", null, 10, null)).runs().size() == 1);
        String child = node.runs(new dev.tributary.engine.store.RunQuery("child", null, 10, null)).runs().get(0).id();

        // when
        get(node.cancel(parent.id()));

        // then
        assertThat(fixture.awaitEnd(child).status()).isEqualTo(RunStatus.CANCELLED);
        assertThat(node.run(child).orElseThrow().error().get("message").asText()).contains("parent");
    }

    @Test
    void aChildWorkflowRunsAndItsOutputReturnsToTheParent() {
        // given
        node.deploy(TestWorkflows.files(TestWorkflows.FAMILY));

        // when
        RunView parent = fixture.start("parent", "{\"n\": 21}");
        RunView ended = fixture.awaitEnd(parent.id());

        // then
        assertThat(ended.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(ended.data().path("doubled").asInt()).isEqualTo(42);
        RunView child = node.runs(new dev.tributary.engine.store.RunQuery("doubler", null, 10, null)).runs().get(0);
        assertThat(child.parentRunId()).isEqualTo(parent.id());
        assertThat(child.status()).isEqualTo(RunStatus.SUCCEEDED);
    }

    @Test
    void theSameIdempotencyKeyGivesTheSameRun() {
        // given
        node.deploy(TestWorkflows.files(TestWorkflows.NAP));

        // when
        RunView first = get(node.startRun("nap", json("{}"), "key-1"));
        RunView second = get(node.startRun("nap", json("{}"), "key-1"));
        RunView other = get(node.startRun("nap", json("{}"), "key-2"));

        // then
        assertThat(second.id()).isEqualTo(first.id());
        assertThat(other.id()).isNotEqualTo(first.id());
    }

    @Test
    void anEmittedEventResumesAnotherRun() {
        // given
        node.deploy(TestWorkflows.files(TestWorkflows.EVENTS));
        RunView listener = fixture.start("listener", "{\"orderId\": \"o-9\"}");
        assertThat(listener.status()).isEqualTo(RunStatus.WAITING);

        // when
        RunView announcer = fixture.start("announcer", "{\"orderId\": \"o-9\"}");

        // then
        assertThat(fixture.awaitEnd(announcer.id()).status()).isEqualTo(RunStatus.SUCCEEDED);
        RunView heard = fixture.awaitEnd(listener.id());
        assertThat(heard.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(heard.data().path("hear").path("data").path("ok").asBoolean()).isTrue();
    }

    @Test
    void aFunctionWhoseRuntimeIsMissingFailsTheRunWithUnavailable() {
        // given
        node.deploy(TestWorkflows.files(TestWorkflows.PYTHON));

        // when
        RunView ended = fixture.awaitEnd(fixture.start("snake", "{}").id());

        // then
        assertThat(ended.status()).isEqualTo(RunStatus.FAILED);
        assertThat(ended.error().path("type").asText()).isEqualTo("Unavailable");
    }

    @Test
    void aFunctionCanBeInvokedDirectly() {
        // given
        node.deploy(TestWorkflows.files(TestWorkflows.SIMPLE));

        // when
        Engine.InvokeOutcome outcome = get(node.invoke("calc.inc", json("{\"n\": 41}")));

        // then
        assertThat(outcome.result().asInt()).isEqualTo(42);
        assertThat(outcome.activation().path("status").asText()).isEqualTo("success");
        assertThat(outcome.activation().path("function").asText()).isEqualTo("calc.inc");
        assertThat(outcome.activation().path("version").asInt()).isEqualTo(1);
        assertThat(outcome.activation().has("durationMs")).isTrue();
        assertThatThrownBy(() -> get(node.invoke("nope", json("{}"))))
                .isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.code()).isEqualTo(EngineException.Code.NOT_FOUND));
    }

    @Test
    void awaitEndGivesTheRunAsItIsAfterTheWait() {
        // given
        node.deploy(TestWorkflows.files(TestWorkflows.NAP));
        RunView run = fixture.start("nap", "{}");

        // when
        RunView after = get(node.awaitEnd(run.id(), Duration.ofMillis(50)));

        // then
        assertThat(after.status()).isEqualTo(RunStatus.WAITING);
    }

    @Test
    void aDeletedWorkflowStartsNoMoreRunsButTheOnesInFlightFinish() {
        // given
        node.deploy(TestWorkflows.files(TestWorkflows.NAP));
        RunView run = fixture.start("nap", "{}");

        // when
        boolean deleted = node.deleteWorkflow("nap");
        fixture.clock.tick(Duration.ofHours(1));
        node.runDue();

        // then
        assertThat(deleted).isTrue();
        assertThat(node.workflow("nap")).isEmpty();
        assertThat(node.deleteWorkflow("nap")).isFalse();
        assertThat(fixture.awaitEnd(run.id()).status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThatThrownBy(() -> fixture.start("nap", "{}"))
                .isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.code()).isEqualTo(EngineException.Code.NOT_FOUND));
    }

    @Test
    void reportsHealth() {
        assertThat(node.health()).isEqualTo(new Engine.Health("UP", "test-node", List.of("test-node")));
    }

    private void awaitStatus(String runId, RunStatus status) {
        await().atMost(Duration.ofSeconds(10)).until(() -> node.run(runId).orElseThrow().status() == status);
    }
}
