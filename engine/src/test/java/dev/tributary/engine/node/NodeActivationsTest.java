package dev.tributary.engine.node;

import static dev.tributary.engine.node.NodeFixture.get;
import static dev.tributary.engine.node.NodeFixture.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import dev.tributary.engine.core.RunStatus;
import dev.tributary.engine.store.ActivationQuery;
import dev.tributary.engine.store.ActivationTotals;
import dev.tributary.dsl.model.FunctionDef;
import dev.tributary.functions.Activation;
import dev.tributary.functions.Execution;
import dev.tributary.functions.ExprRuntime;
import dev.tributary.functions.Functions;
import dev.tributary.functions.FailureTypes;
import dev.tributary.functions.InvocationResult;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every activation a node makes is recorded, and a run's cost and the usage sum them. */
class NodeActivationsTest {

    /** A python function on a node without the python runtime: its calls go out as tasks and come back Unavailable. */
    private static final String PYTHON_STEP = """
            function: py.hello
            runtime: python
            source: |
              def main(args):
                  return args
            memory: 512
            ---
            workflow: greet
            steps:
              - name: hello
                call: py.hello
            """;

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
    void recordsEveryStepsActivationWithItsRunStepAndIdempotencyKeyAndSumsTheRunsCost() {
        // given a node whose python runtime answers at once, 100 ms billed per activation
        restartWithPythonStandIn();
        node.deploy(TestWorkflows.files(PYTHON_STEP + """
                  - name: again
                    call: py.hello
                  - name: total
                    call: calc.double
                ---
                function: calc.double
                runtime: expr
                expr: ${ 2 }
                """));

        // when
        RunView run = fixture.awaitEnd(fixture.start("greet", "{\"name\": \"ann\"}").id());

        // then the python calls are activations; the expr call was answered inside the run's transition
        assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
        List<Activation> activations = await().atMost(Duration.ofSeconds(10)).until(
                () -> node.activations(new ActivationQuery(null, run.id(), null, 50, null)).activations(), list -> list.size() == 2);
        assertThat(activations).extracting(Activation::step).containsExactlyInAnyOrder("hello", "again"); // same instant: order by id
        for (Activation a : activations) {
            assertThat(a.function()).isEqualTo("py.hello");
            assertThat(a.runId()).isEqualTo(run.id());
            assertThat(a.attempt()).isEqualTo(1);
            assertThat(a.idempotencyKey()).isEqualTo(run.id() + "/" + a.step() + "/1");
            assertThat(a.version()).isEqualTo(1);
            assertThat(a.status()).isEqualTo(Activation.Status.SUCCESS);
            assertThat(a.startedAt()).isEqualTo(fixture.clock.instant());
            assertThat(a.coldStart()).isTrue();
            assertThat(a.logs()).isEqualTo("hi");
            assertThat(a.gbSeconds()).isCloseTo(512 / 1024.0 * 0.1, within(1e-12));
        }

        ActivationTotals cost = node.runCost(run.id());
        assertThat(cost.activations()).isEqualTo(2);
        assertThat(cost.gbSeconds()).isCloseTo(activations.stream().mapToDouble(Activation::gbSeconds).sum(), within(1e-12));
        assertThat(cost.cost()).isCloseTo(activations.stream().mapToDouble(Activation::cost).sum(), within(1e-18));
    }

    @Test
    void recordsAnActivationDispatchedOutsideTheTransition() {
        // given
        node.deploy(TestWorkflows.files(PYTHON_STEP));

        // when
        RunView run = fixture.start("greet", "{}");

        // then the first attempt is recorded (a retry, whose jittered delay may be zero, can follow at once)
        List<Activation> activations = await().atMost(Duration.ofSeconds(10)).until(
                () -> node.activations(new ActivationQuery("py.hello", null, null, 50, null)).activations(),
                list -> list.stream().anyMatch(a -> a.attempt() == 1));
        Activation hello = activations.stream().filter(a -> a.attempt() == 1).findFirst().orElseThrow();
        assertThat(hello.runId()).isEqualTo(run.id());
        assertThat(hello.step()).isEqualTo("hello");
        assertThat(hello.idempotencyKey()).isEqualTo(run.id() + "/hello/1");
        assertThat(hello.memoryMb()).isEqualTo(512);
        assertThat(hello.status()).isEqualTo(Activation.Status.ERROR);
        assertThat(((InvocationResult.Failure) hello.result()).type()).isEqualTo(FailureTypes.UNAVAILABLE);
    }

    @Test
    void findsADirectInvocationsActivationAsSoonAsTheInvokeAnswers() {
        // given
        node.deploy(TestWorkflows.files(TestWorkflows.ORDERS));

        // when
        Engine.InvokeOutcome outcome = get(node.invoke("shipping.label", json("{\"orderId\": \"o-9\"}")));

        // then: no waiting, the answer came after the write
        String id = outcome.activation().get("id").asText();
        Activation stored = node.activation(id).orElseThrow();
        assertThat(stored.function()).isEqualTo("shipping.label");
        assertThat(stored.runId()).isNull();
        assertThat(stored.idempotencyKey()).isEqualTo(id);
        assertThat(stored.value().asText()).isEqualTo("TRK-o-9");
        assertThat(outcome.activation().get("cost").asDouble()).isEqualTo(stored.cost());
    }

    @Test
    void sumsThisMonthsUsagePerFunctionByDefault() {
        // given: an activation last month and two this month
        node.deploy(TestWorkflows.files(TestWorkflows.ORDERS));
        fixture.clock.set(Instant.parse("2026-02-28T23:00:00Z"));
        get(node.invoke("shipping.label", json("{\"orderId\": \"o-1\"}")));
        fixture.clock.set(Instant.parse("2026-03-01T09:00:00Z"));
        get(node.invoke("shipping.label", json("{\"orderId\": \"o-2\"}")));
        get(node.invoke("email.send", json("{\"to\": \"a@b.c\"}")));
        fixture.clock.tick(Duration.ofSeconds(1));

        // when
        Engine.UsageReport thisMonth = node.usage(null, null);
        Engine.UsageReport february = node.usage(Instant.parse("2026-02-01T00:00:00Z"), Instant.parse("2026-03-01T00:00:00Z"));

        // then
        assertThat(thisMonth.from()).isEqualTo(Instant.parse("2026-03-01T00:00:00Z"));
        assertThat(thisMonth.to()).isEqualTo(Instant.parse("2026-03-01T09:00:01Z"));
        assertThat(thisMonth.pricePerGbSecond()).isEqualTo(0.0000166667);
        assertThat(thisMonth.usage().functions()).extracting(f -> f.function() + "=" + f.totals().activations())
                .containsExactly("email.send=1", "shipping.label=1");
        assertThat(thisMonth.usage().total().cost()).isPositive();
        assertThat(february.usage().total().activations()).isEqualTo(1);
        assertThat(node.usage(null, Instant.parse("2026-03-01T00:00:00Z")).from()).isEqualTo(Instant.parse("2026-02-01T00:00:00Z"));
    }

    @Test
    void refusesAnEmptyUsageRangeAndAForgedCursor() {
        Instant at = Instant.parse("2026-03-01T00:00:00Z");

        assertThatThrownBy(() -> node.usage(at, at)).isInstanceOf(EngineException.class)
                .hasMessageContaining("start before it ends")
                .satisfies(e -> assertThat(((EngineException) e).code()).isEqualTo(EngineException.Code.BAD_REQUEST));
        assertThatThrownBy(() -> node.activations(new ActivationQuery(null, null, null, 10, "forged")))
                .isInstanceOf(EngineException.class).hasMessageContaining("cursor");
    }

    @Test
    void writesQueuedActivationsBeforeItCloses() {
        // given
        restartWithPythonStandIn();
        node.deploy(TestWorkflows.files(PYTHON_STEP));
        for (int i = 0; i < 20; i++) {
            fixture.start("greet", "{\"n\": " + i + "}");
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> node.runs(new dev.tributary.engine.store.RunQuery(null, RunStatus.SUCCEEDED,
                100, null)).runs().size() == 20);

        // when
        node = fixture.restart();

        // then
        fixture.clock.tick(Duration.ofSeconds(1));
        assertThat(node.usage(null, null).usage().total().activations()).isEqualTo(20);
    }

    /** A node whose python runtime answers at once with the input, 100 ms billed, a cold start, log "hi". */
    private void restartWithPythonStandIn() {
        fixture.close();
        fixture = new NodeFixture(dataDir);
        node = fixture.start(Functions.builder().clock(fixture.clock)
                .runtime(FunctionDef.Runtime.EXPR, new ExprRuntime(fixture.clock, Functions.DEFAULT_MAX_PAYLOAD_BYTES))
                .runtime(FunctionDef.Runtime.PYTHON, job -> CompletableFuture.completedFuture(new Execution(
                        new InvocationResult.Success(job.input()), fixture.clock.instant(), Duration.ofMillis(100), true, "hi")))
                .build());
    }
}
