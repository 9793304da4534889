package dev.tributary.engine.core;

import static dev.tributary.engine.core.ManualDriver.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tributary.engine.core.HistoryEvent.Type;
import org.junit.jupiter.api.Test;

/** Parallel and foreach: results by slot, concurrency, failures, nesting. */
class FanoutsTest extends InterpreterScenarios {
    @Test
    void parallelAllGathersEachBranchsOwnWritesInOrder() {
        ManualDriver d = new ManualDriver("""
                workflow: w
                steps:
                  - name: ship
                    parallel:
                      branches:
                        - steps: [ { name: label, call: label } ]
                        - steps: [ { name: notify, set: { sent: "${ data.email }" } } ]
                  - { name: after, set: { n: "${ size(data.ship) }" } }
                """).function("label", in -> json("\"L-1\""));
        String run = d.start("w", "{\"email\": \"a@b\"}");
        RunState s = d.run(run);
        assertThat(s.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(s.data().get("ship")).isEqualTo(json("[{\"label\":\"L-1\"},{\"sent\":\"a@b\"}]"));
        assertThat(s.data().get("n").asInt()).isEqualTo(2);
        assertThat(steps(d, run, Type.StepSucceeded)).contains("ship[0]/label", "ship[1]/notify", "ship");
    }

    @Test
    void parallelAllFailsOnTheFirstBranchFailureAndCancelsTheOthers() {
        ManualDriver d = new ManualDriver("""
                workflow: w
                steps:
                  - name: both
                    parallel:
                      branches:
                        - steps: [ { name: slow, call: slow } ]
                        - steps: [ { name: waiting, wait: 1h } ]
                        - steps: [ { name: bad, call: bad, retry: none } ]
                    catch: [ { errors: [CardDeclined], result: failure } ]
                """).function("slow", in -> ManualDriver.HOLD).function("bad", in -> {
                    throw new ManualDriver.FunctionFailure("CardDeclined", "no");
                });
        String run = d.start("w", "{}");
        RunState s = d.run(run);
        assertThat(s.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(s.data().get("failure").get("step").asText()).isEqualTo("both[2]/bad");
        assertThat(d.timers()).isEmpty();
        assertThat(d.heldCalls).isEmpty();
        assertThat(d.history(run)).filteredOn(e -> e.type() == Type.StepFailed)
                .extracting(e -> e.step() + ":" + e.data().get("error").get("type").asText())
                .containsExactlyInAnyOrder("both[2]/bad:CardDeclined", "both[0]/slow:Cancelled", "both[1]/waiting:Cancelled",
                        "both:CardDeclined");
    }

    @Test
    void parallelAnyTakesTheFirstSuccessAndFailsOnlyWhenAllFail() {
        ManualDriver d = new ManualDriver("""
                workflow: w
                steps:
                  - name: race
                    parallel:
                      mode: any
                      branches:
                        - steps: [ { name: a, call: slow } ]
                        - steps: [ { name: b, call: slow } ]
                """).function("slow", in -> ManualDriver.HOLD);
        String run = d.start("w", "{}");
        d.answer(run, "race[1]/b#1", json("\"b wins\""));
        RunState s = d.run(run);
        assertThat(s.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(s.data().get("race")).isEqualTo(json("{\"b\":\"b wins\"}"));
        assertThat(d.heldCalls).isEmpty();

        ManualDriver failing = new ManualDriver("""
                workflow: w
                steps:
                  - name: race
                    parallel:
                      mode: any
                      branches:
                        - steps: [ { name: a, fail: { error: A, message: a } } ]
                        - steps: [ { name: b, fail: { error: B, message: b } } ]
                """);
        RunState f = failing.run(failing.start("w", "{}"));
        assertThat(f.status()).isEqualTo(RunStatus.FAILED);
        assertThat(f.error().type()).isEqualTo("A");
    }

    @Test
    void foreachKeepsInputOrderRespectsConcurrencyAndBindsItemAndIndex() {
        ManualDriver d = new ManualDriver("""
                workflow: w
                steps:
                  - name: each
                    foreach: ${ input.xs }
                    as: x
                    concurrency: 2
                    steps:
                      - { name: sq, call: hold, with: { v: "${ x }", i: "${ index }" } }
                """).function("hold", in -> ManualDriver.HOLD);
        String run = d.start("w", "{\"xs\": [3, 1, 2]}");
        assertThat(d.heldCalls).hasSize(2);
        d.answer(run, "each[1]/sq#1", json("10"));
        assertThat(d.heldCalls).hasSize(2); // the third iteration started
        d.answer(run, "each[2]/sq#1", json("20"));
        d.answer(run, "each[0]/sq#1", json("30"));
        RunState s = d.run(run);
        assertThat(s.data().get("each")).isEqualTo(json("[{\"sq\":30},{\"sq\":10},{\"sq\":20}]"));
        assertThat(d.invocations).extracting(c -> c.input().toString())
                .containsExactly("{\"v\":3,\"i\":0}", "{\"v\":1,\"i\":1}", "{\"v\":2,\"i\":2}");
    }

    @Test
    void foreachToleratesFailuresUpToTheLimitWithNullResults() {
        String yaml = """
                workflow: w
                steps:
                  - name: each
                    foreach: ${ input.xs }
                    tolerate: %s
                    steps:
                      - { name: check, call: odd-fails, with: "${ item }", retry: none }
                """;
        java.util.function.Function<JsonNode, JsonNode> oddFails = in -> {
            if (in.asInt() % 2 == 1) {
                throw new ManualDriver.FunctionFailure("Odd", "odd");
            }
            return in;
        };
        ManualDriver strict = new ManualDriver(String.format(yaml, "1"))
                .function("odd-fails", oddFails);
        String one = strict.start("w", "{\"xs\": [2, 3, 4]}");
        assertThat(strict.run(one).status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(strict.run(one).data().get("each")).isEqualTo(json("[{\"check\":2},null,{\"check\":4}]"));
        String two = strict.start("w", "{\"xs\": [1, 3, 4]}");
        assertThat(strict.run(two).status()).isEqualTo(RunStatus.FAILED);
        assertThat(strict.run(two).error().type()).isEqualTo("Odd");
    }

    @Test
    void foreachOverNothingGivesAnEmptyArrayAndOverANonArrayFails() {
        ManualDriver d = new ManualDriver("""
                workflow: w
                steps:
                  - { name: each, foreach: "${ input.xs }", steps: [ { name: s, set: { v: 1 } } ] }
                """);
        assertThat(d.run(d.start("w", "{\"xs\": []}")).data().get("each")).isEqualTo(json("[]"));
        RunState bad = d.run(d.start("w", "{\"xs\": 5}"));
        assertThat(bad.error().type()).isEqualTo("ExpressionError");
        assertThat(bad.error().message()).contains("array");
    }

    @Test
    void nestedForeachInParallelInForeachRunsEveryLeafOnce() {
        ManualDriver d = new ManualDriver("""
                workflow: w
                steps:
                  - name: outer
                    foreach: ${ input.rows }
                    as: row
                    steps:
                      - name: both
                        parallel:
                          branches:
                            - steps:
                                - name: inner
                                  foreach: ${ row }
                                  as: cell
                                  concurrency: 1
                                  steps: [ { name: leaf, call: id, with: "${ cell }" } ]
                            - steps: [ { name: count, set: { n: "${ size(row) }" } } ]
                """).function("id", in -> in);
        String run = d.start("w", "{\"rows\": [[1, 2], [3], []]}");
        RunState s = d.run(run);
        assertThat(s.error()).isNull();
        assertThat(s.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(s.data().get("outer")).isEqualTo(json("""
                [ {"both": [ {"inner": [{"leaf": 1}, {"leaf": 2}]}, {"n": 2} ]},
                  {"both": [ {"inner": [{"leaf": 3}]}, {"n": 1} ]},
                  {"both": [ {"inner": []}, {"n": 0} ]} ]"""));
        assertThat(d.invocations).extracting(Command.InvokeFunction::step)
                .containsExactlyInAnyOrder("outer[0]/both[0]/inner[0]/leaf", "outer[0]/both[0]/inner[1]/leaf",
                        "outer[1]/both[0]/inner[0]/leaf");
        assertThat(s.pendingIds()).isEmpty();
    }

    @Test
    void aLongForeachOfInstantStepsDoesNotRecurseDeeply() {
        ManualDriver d = new ManualDriver("""
                workflow: w
                steps:
                  - { name: each, foreach: "${ input.xs }", concurrency: 1000, steps: [ { name: s, set: { v: "${ item }" } } ] }
                """);
        StringBuilder xs = new StringBuilder("[0");
        for (int i = 1; i < 3000; i++) {
            xs.append(',').append(i);
        }
        RunState s = d.run(d.start("w", "{\"xs\": " + xs + "]}"));
        assertThat(s.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(s.data().get("each").get(2999).get("v").asInt()).isEqualTo(2999);
    }

}
