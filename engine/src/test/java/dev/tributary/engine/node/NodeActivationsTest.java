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
import dev.tributary.functions.Activation;
import dev.tributary.functions.FailureTypes;
import dev.tributary.functions.InvocationResult;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
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
        // given
        node.deploy(TestWorkflows.files(TestWorkflows.ORDERS));

        // when
        RunView run = fixture.awaitEnd(fixture.start("order-fulfilment", "{\"orderId\": \"o-1\", \"total\": 100, \"email\": \"a@b.c\"}").id());

        // then
        assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
        List<Activation> activations = await().atMost(Duration.ofSeconds(10)).until(
                () -> node.activations(new ActivationQuery(null, run.id(), null, 50, null)).activations(), list -> list.size() == 3);
        assertThat(activations).extracting(Activation::function)
                .containsExactlyInAnyOrder("payments.charge", "shipping.label", "email.send");
        for (Activation a : activations) {
            assertThat(a.runId()).isEqualTo(run.id());
            assertThat(a.step()).isNotBlank();
            assertThat(a.attempt()).isEqualTo(1);
            assertThat(a.idempotencyKey()).isEqualTo(run.id() + "/" + a.step() + "/1");
            assertThat(a.version()).isEqualTo(1);
            assertThat(a.status()).isEqualTo(Activation.Status.SUCCESS);
            assertThat(a.startedAt()).isEqualTo(fixture.clock.instant());
            assertThat(a.gbSeconds()).isPositive();
        }
        Activation charge = activations.stream().filter(a -> a.function().equals("payments.charge")).findFirst().orElseThrow();
        assertThat(charge.step()).isEqualTo("charge");
        assertThat(charge.value().asText()).isEqualTo("rcpt-100");

        ActivationTotals cost = node.runCost(run.id());
        assertThat(cost.activations()).isEqualTo(3);
        assertThat(cost.gbSeconds()).isCloseTo(activations.stream().mapToDouble(Activation::gbSeconds).sum(), within(1e-12));
        assertThat(cost.cost()).isCloseTo(activations.stream().mapToDouble(Activation::cost).sum(), within(1e-18));
    }

    @Test
    void recordsAnActivationDispatchedOutsideTheTransition() {
        // given
        node.deploy(TestWorkflows.files(PYTHON_STEP));

        // when
        RunView run = fixture.start("greet", "{}");

        // then
        List<Activation> activations = await().atMost(Duration.ofSeconds(10)).until(
                () -> node.activations(new ActivationQuery("py.hello", null, null, 50, null)).activations(), list -> list.size() == 1);
        Activation hello = activations.get(0);
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
        node.deploy(TestWorkflows.files(TestWorkflows.ORDERS));
        for (int i = 0; i < 20; i++) {
            fixture.start("order-fulfilment", "{\"orderId\": \"o-" + i + "\", \"total\": 100, \"email\": \"a@b.c\"}");
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> node.runs(new dev.tributary.engine.store.RunQuery(null, RunStatus.SUCCEEDED,
                100, null)).runs().size() == 20);

        // when
        node = fixture.restart();

        // then
        fixture.clock.tick(Duration.ofSeconds(1));
        assertThat(node.usage(null, null).usage().total().activations()).isEqualTo(60);
    }
}
