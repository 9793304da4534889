package dev.tributary.engine.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tributary.engine.core.RunStatus;
import dev.tributary.functions.FunctionInvoker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A node stopped with work in flight, and a new node on the same data finishing it. */
class NodeRecoveryTest {

    @TempDir
    Path dataDir;
    private NodeFixture fixture;

    @AfterEach
    void closeNode() {
        fixture.close();
    }

    @Test
    void aRunWaitingOnATimerFinishesAfterARestart() {
        // given
        fixture = new NodeFixture(dataDir);
        fixture.start().deploy(TestWorkflows.files(TestWorkflows.NAP));
        RunView run = fixture.start("nap", "{}");

        // when
        Node restarted = fixture.restart();
        fixture.clock.tick(Duration.ofHours(2));
        int fired = restarted.runDue();

        // then
        assertThat(fired).isEqualTo(1);
        assertThat(fixture.awaitEnd(run.id()).status()).isEqualTo(RunStatus.SUCCEEDED);
    }

    @Test
    void anOverdueTimerFiresOnTheFirstRunDueAfterARestart() {
        // given a timer that fell due while no node was up
        fixture = new NodeFixture(dataDir);
        fixture.start().deploy(TestWorkflows.files(TestWorkflows.NAP));
        RunView run = fixture.start("nap", "{}");
        fixture.node.close();
        fixture.clock.tick(Duration.ofDays(3));

        // when
        Node restarted = fixture.start();
        restarted.runDue();

        // then
        assertThat(fixture.awaitEnd(run.id()).status()).isEqualTo(RunStatus.SUCCEEDED);
    }

    @Test
    void aCallInFlightWhenTheNodeStoppedIsDispatchedAgain() {
        // given a first node whose functions never answer
        fixture = new NodeFixture(dataDir);
        AtomicInteger calls = new AtomicInteger();
        FunctionInvoker hanging = invocation -> {
            calls.incrementAndGet();
            return new CompletableFuture<>();
        };
        fixture.start(hanging).deploy(TestWorkflows.files(TestWorkflows.SIMPLE));
        RunView run = fixture.start("simple", "{\"n\": 1}");
        await().atMost(Duration.ofSeconds(10)).until(() -> calls.get() >= 1);

        // when
        fixture.restart();

        // then
        RunView ended = fixture.awaitEnd(run.id());
        assertThat(ended.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(ended.output().asInt()).isEqualTo(3);
    }

    @Test
    void deployedDefinitionsAreLoadedAgainAfterARestart() {
        // given
        fixture = new NodeFixture(dataDir);
        fixture.start().deploy(TestWorkflows.files(TestWorkflows.SIMPLE));

        // when
        Node restarted = fixture.restart();

        // then
        assertThat(restarted.workflows()).extracting(WorkflowInfo::name).containsExactly("simple");
        assertThat(restarted.functions()).extracting(FunctionInfo::name).containsExactly("calc.inc");
        assertThat(fixture.awaitEnd(fixture.start("simple", "{\"n\": 5}").id()).output().asInt()).isEqualTo(7);
    }

    @Test
    void aRunPinnedToAnOldVersionFinishesOnItAfterARestart() {
        // given a run on version 1, then version 2 deployed
        fixture = new NodeFixture(dataDir);
        Node first = fixture.start();
        first.deploy(TestWorkflows.files(TestWorkflows.NAP));
        RunView run = fixture.start("nap", "{}");
        first.deploy(TestWorkflows.files(TestWorkflows.NAP.replace("woke: true", "woke: 2")));

        // when
        Node restarted = fixture.restart();
        fixture.clock.tick(Duration.ofHours(1));
        restarted.runDue();

        // then
        RunView ended = fixture.awaitEnd(run.id());
        assertThat(ended.version()).isEqualTo(1);
        assertThat(ended.data().path("woke").asBoolean()).isTrue();
    }
}
