package dev.tributary.engine.core;

import static dev.tributary.engine.core.ManualDriver.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.engine.core.HistoryEvent.Type;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Order, if, next, end, switch, succeed, fail, loops, limits and status tables. */
class FlowTest extends InterpreterScenarios {
    @Test
    void stepsRunInOrderAndTheRunSucceedsWithItsData() {
        // given
        ManualDriver d = new ManualDriver("""
                workflow: w
                steps:
                  - name: a
                    set: { x: "${ input.n + 1 }" }
                  - name: b
                    call: double
                    with: { v: "${ data.x }" }
                  - name: c
                    set: { done: true }
                """).function("double", in -> json("{\"v\": " + in.get("v").asInt() * 2 + "}"));
        // when
        String run = d.start("w", "{\"n\": 1}");
        // then
        RunState s = d.run(run);
        assertThat(s.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(s.output()).isEqualTo(json("{\"n\":1,\"x\":2,\"b\":{\"v\":4},\"done\":true}"));
        assertThat(types(d, run)).containsExactly(Type.RunStarted, Type.StepStarted, Type.StepSucceeded,
                Type.StepStarted, Type.StepSucceeded, Type.StepStarted, Type.StepSucceeded, Type.RunSucceeded);
        assertThat(d.invocations).singleElement().satisfies(call -> {
            assertThat(call.idempotencyKey()).isEqualTo(run + "/b/1");
            assertThat(call.input()).isEqualTo(json("{\"v\":2}"));
        });
        assertThat(d.history(run)).extracting(HistoryEvent::seq).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L);
    }

    @Test
    void aFalseIfSkipsTheStepAndNextAndEndSteerTheFlow() {
        ManualDriver d = new ManualDriver("""
                workflow: w
                output: ${ data }
                steps:
                  - { name: a, if: "${ input.go }", set: { a: 1 } }
                  - { name: b, set: { b: 1 }, next: d }
                  - { name: c, set: { c: 1 }, end: true }
                  - { name: d, set: { d: 1 }, next: c }
                """);
        String run = d.start("w", "{\"go\": false}");
        assertThat(d.run(run).output()).isEqualTo(json("{\"go\":false,\"b\":1,\"d\":1,\"c\":1}"));
        assertThat(steps(d, run, Type.StepSkipped)).containsExactly("a");
    }

    @Test
    void switchTakesTheFirstTrueCaseThenTheDefaultThenFallsThrough() {
        String yaml = """
                workflow: w
                steps:
                  - name: route
                    switch:
                      - { when: "${ input.n > 10 }", next: big }
                      - { when: "${ input.n > 5 }", next: medium }
                  - { name: small, set: { size: small }, end: true }
                  - { name: medium, set: { size: medium }, end: true }
                  - { name: big, set: { size: big } }
                """;
        ManualDriver d = new ManualDriver(yaml);
        assertThat(d.run(d.start("w", "{\"n\": 20}")).output().get("size").asText()).isEqualTo("big");
        assertThat(d.run(d.start("w", "{\"n\": 7}")).output().get("size").asText()).isEqualTo("medium");
        String fallThrough = d.start("w", "{\"n\": 1}");
        assertThat(d.run(fallThrough).output().get("size").asText()).isEqualTo("small");
        assertThat(types(d, fallThrough)).doesNotContain(Type.BranchTaken);

        ManualDriver withDefault = new ManualDriver("""
                workflow: w
                steps:
                  - name: route
                    switch:
                      - { when: "${ input.n > 10 }", next: big }
                      - { default: other }
                  - { name: big, set: { size: big }, end: true }
                  - { name: other, set: { size: other } }
                """);
        String run = withDefault.start("w", "{\"n\": 1}");
        assertThat(withDefault.run(run).output().get("size").asText()).isEqualTo("other");
        assertThat(withDefault.history(run)).filteredOn(e -> e.type() == Type.BranchTaken)
                .singleElement().satisfies(e -> assertThat(e.data().get("next").asText()).isEqualTo("other"));
    }

    @Test
    void emitAsksForAnEventWithAStableId() {
        ManualDriver d = new ManualDriver("""
                workflow: w
                steps:
                  - { name: tell, emit: { type: order.placed, subject: "${ input.id }", data: { total: "${ input.total }" } } }
                """);
        String run = d.start("w", "{\"id\": \"o-1\", \"total\": 5}");
        assertThat(d.emitted).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo("order.placed");
            assertThat(e.subject()).isEqualTo("o-1");
            assertThat(e.data()).isEqualTo(json("{\"total\":5}"));
        });
        String again = new ManualDriver("""
                workflow: w
                steps:
                  - { name: tell, emit: { type: order.placed, subject: "${ input.id }", data: { total: "${ input.total }" } } }
                """).emittedIdFor(run);
        assertThat(d.emitted.get(0).eventId()).isEqualTo(again);
    }

    @Test
    void succeedEndsTheRunAndFailEndsItWithTheError() {
        ManualDriver d = new ManualDriver("""
                workflow: w
                steps:
                  - { name: ok, if: "${ input.good }", succeed: true }
                  - { name: bad, fail: { error: Declined, message: "order ${ input.id } declined" } }
                """);
        assertThat(d.run(d.start("w", "{\"good\": true}")).status()).isEqualTo(RunStatus.SUCCEEDED);
        RunState failed = d.run(d.start("w", "{\"good\": false, \"id\": 7}"));
        assertThat(failed.status()).isEqualTo(RunStatus.FAILED);
        assertThat(failed.error()).isEqualTo(new ErrorInfo("Declined", "order 7 declined", "bad", 0));
    }

    @Test
    void loopsGiveEachVisitItsOwnStepPathAndIdempotencyKey() {
        ManualDriver d = new ManualDriver("""
                workflow: w
                steps:
                  - { name: poll, call: count }
                  - name: again
                    switch:
                      - { when: "${ data.poll < 3 }", next: pause }
                      - { default: done }
                  - { name: pause, wait: 1s, next: poll }
                  - { name: done, set: { finished: true } }
                """);
        int[] n = {0};
        d.function("count", in -> json(Integer.toString(++n[0])));
        String run = d.start("w", "{}");
        d.tick(Duration.ofSeconds(1));
        d.tick(Duration.ofSeconds(1));
        assertThat(d.run(run).status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(d.invocations).extracting(Command.InvokeFunction::idempotencyKey)
                .containsExactly(run + "/poll/1", run + "/poll~2/1", run + "/poll~3/1");
    }

    @Test
    void limitsFailTheRunWithLimitExceeded() {
        ManualDriver small = new ManualDriver("""
                workflow: w
                steps:
                  - { name: grow, set: { big: "${ input.text + input.text }" } }
                """, new InterpreterLimits(25_000, 100, 10_000));
        RunState s = small.run(small.start("w", "{\"text\": \"" + "x".repeat(60) + "\"}"));
        assertThat(s.error().type()).isEqualTo("LimitExceeded");
        assertThat(s.error().message()).contains("maxDataBytes");

        ManualDriver shortHistory = new ManualDriver("""
                workflow: w
                steps:
                  - { name: a, set: { a: 1 } }
                  - { name: b, set: { b: 1 } }
                  - { name: c, set: { c: 1 } }
                  - { name: pause, wait: 1s }
                """, new InterpreterLimits(4, 1 << 20, 10_000));
        assertThat(shortHistory.run(shortHistory.start("w", "{}")).error().message()).contains("maxHistoryEvents");
    }

    @Test
    void statusTablesRejectIllegalChanges() {
        assertThat(RunStatus.SUCCEEDED.canBecome(RunStatus.RUNNING)).isFalse();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> RunStatus.CANCELLED.to(RunStatus.RUNNING, "r-42"))
                .isInstanceOf(IllegalTransitionException.class)
                .hasMessage("A run cannot go from CANCELLED to RUNNING (run 'r-42')");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> StepStatus.SUCCEEDED.to(StepStatus.RUNNING, "a"))
                .isInstanceOf(IllegalTransitionException.class);
        assertThat(StepStatus.RUNNING.canBecome(StepStatus.RETRYING)).isTrue();
    }

    @Test
    void anExpressionErrorFailsTheStepWithoutRetry() {
        ManualDriver d = new ManualDriver("""
                workflow: w
                steps:
                  - { name: a, call: f, with: { v: "${ data.missing.deeper.x.y() }" } }
                """).function("f", in -> in);
        String run = d.start("w", "{}");
        assertThat(d.run(run).status()).isEqualTo(RunStatus.FAILED);
        assertThat(d.run(run).error().type()).isEqualTo("ExpressionError");
        assertThat(d.invocations).isEmpty();
    }

}
