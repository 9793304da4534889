package dev.tributary.engine.core;

import static dev.tributary.engine.core.ManualDriver.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tributary.engine.core.HistoryEvent.Type;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class InterpreterTest {

    /** Every scenario below doubles as a replay test: each run's history, replayed, rebuilds its state exactly. */
    @org.junit.jupiter.api.AfterEach
    void everyRunReplaysFromItsHistory() {
        for (ManualDriver d : ManualDriver.madeSince()) {
            Replay replay = new Replay(d.interpreter);
            d.runs.forEach((id, state) -> {
                RunState rebuilt = replay.rebuild(d.plan(state.workflow()), d.history(id));
                assertThat(RunStateCodec.write(rebuilt)).as("replay of run %s", id).isEqualTo(RunStateCodec.write(state));
            });
        }
    }

    private static List<Type> types(ManualDriver d, String run) {
        return d.history(run).stream().map(HistoryEvent::type).toList();
    }

    private static List<String> steps(ManualDriver d, String run, Type type) {
        return d.history(run).stream().filter(e -> e.type() == type).map(HistoryEvent::step).toList();
    }

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
    void whileACallIsInFlightTheRunIsRunningAndWaitingOnlyOnTimersOrEvents() {
        ManualDriver d = new ManualDriver("""
                workflow: w
                steps:
                  - { name: a, call: slow }
                  - { name: b, wait: 5s }
                """).function("slow", in -> ManualDriver.HOLD);
        String run = d.start("w", "{}");
        assertThat(d.run(run).status()).isEqualTo(RunStatus.RUNNING);
        d.answer(run, "a#1", json("1"));
        assertThat(d.run(run).status()).isEqualTo(RunStatus.WAITING);
        d.tick(Duration.ofSeconds(4));
        assertThat(d.run(run).status()).isEqualTo(RunStatus.WAITING);
        d.tick(Duration.ofSeconds(1));
        assertThat(d.run(run).status()).isEqualTo(RunStatus.SUCCEEDED);
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
    void aFailingCallIsRetriedWithBackoffAndFullJitterThenSucceeds() {
        int[] calls = {0};
        ManualDriver d = new ManualDriver("""
                workflow: w
                steps:
                  - name: charge
                    call: flaky
                    retry: { max-attempts: 4, delay: 1s, backoff: 2.0, max-delay: 3s, jitter: false }
                """).function("flaky", in -> {
                    if (++calls[0] < 4) {
                        throw new ManualDriver.FunctionFailure("Unavailable", "try later");
                    }
                    return json("\"ok\"");
                });
        String run = d.start("w", "{}");
        assertThat(d.run(run).status()).isEqualTo(RunStatus.WAITING);
        d.tick(Duration.ofMillis(999));
        assertThat(calls[0]).isEqualTo(1);
        d.tick(Duration.ofMillis(1));
        assertThat(calls[0]).isEqualTo(2);
        d.tick(Duration.ofSeconds(2));
        assertThat(calls[0]).isEqualTo(3);
        d.tick(Duration.ofSeconds(3)); // capped by max-delay
        assertThat(calls[0]).isEqualTo(4);
        assertThat(d.run(run).status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(d.run(run).data().get("charge").asText()).isEqualTo("ok");
        assertThat(d.history(run)).filteredOn(e -> e.type() == Type.StepRetrying)
                .extracting(e -> e.data().get("delayMs").asLong()).containsExactly(1000L, 2000L, 3000L);
        assertThat(d.invocations).extracting(Command.InvokeFunction::idempotencyKey)
                .containsExactly(run + "/charge/1", run + "/charge/2", run + "/charge/3", run + "/charge/4");
    }

    @Test
    void jitteredDelaysStayUnderTheCeilingAndTheDefaultPolicyTriesThreeTimes() {
        ManualDriver d = new ManualDriver("""
                workflow: w
                steps:
                  - { name: charge, call: broken }
                """).function("broken", in -> {
                    throw new ManualDriver.FunctionFailure("FunctionError", "boom");
                });
        String run = d.start("w", "{}");
        d.tick(Duration.ofSeconds(1));
        d.tick(Duration.ofSeconds(2));
        assertThat(d.run(run).status()).isEqualTo(RunStatus.FAILED);
        assertThat(d.run(run).error().type()).isEqualTo("FunctionError");
        assertThat(d.run(run).error().attempt()).isEqualTo(3);
        assertThat(d.invocations).hasSize(3);
        assertThat(d.history(run)).filteredOn(e -> e.type() == Type.StepRetrying)
                .extracting(e -> e.data().get("delayMs").asLong())
                .satisfiesExactly(first -> assertThat(first).isBetween(0L, 1000L), second -> assertThat(second).isBetween(0L, 2000L));
    }

    @Test
    void errorsOutsideTheRetryFilterOrRetryNoneAreNotRetried() {
        ManualDriver d = new ManualDriver("""
                workflow: w
                steps:
                  - { name: a, call: broken, retry: { max-attempts: 5, errors: [Timeout] } }
                ---
                workflow: v
                steps:
                  - { name: a, call: broken, retry: none }
                """).function("broken", in -> {
                    throw new ManualDriver.FunctionFailure("CardDeclined", "no");
                });
        assertThat(d.run(d.start("w", "{}")).status()).isEqualTo(RunStatus.FAILED);
        assertThat(d.run(d.start("v", "{}")).status()).isEqualTo(RunStatus.FAILED);
        assertThat(d.invocations).hasSize(2);
    }

    @Test
    void catchTakesTheFirstMatchingHandlerAndWritesTheErrorObject() {
        ManualDriver d = new ManualDriver("""
                workflow: w
                steps:
                  - name: charge
                    call: decline
                    retry: none
                    catch:
                      - { errors: [Timeout], next: timeout }
                      - { errors: [CardDeclined], result: failure, next: declined }
                      - { errors: [any], next: other }
                  - { name: timeout, set: { path: timeout }, end: true }
                  - { name: other, set: { path: other }, end: true }
                  - { name: declined, set: { path: declined, seen: "${ error.type }" } }
                """).function("decline", in -> {
                    throw new ManualDriver.FunctionFailure("CardDeclined", "insufficient funds");
                });
        String run = d.start("w", "{}");
        RunState s = d.run(run);
        assertThat(s.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(s.data().get("path").asText()).isEqualTo("declined");
        assertThat(s.data().get("seen").asText()).isEqualTo("CardDeclined");
        assertThat(s.data().get("failure")).isEqualTo(json(
                "{\"type\":\"CardDeclined\",\"message\":\"insufficient funds\",\"step\":\"charge\",\"attempt\":1}"));
        assertThat(d.history(run)).filteredOn(e -> e.type() == Type.StepFailed).singleElement()
                .satisfies(e -> assertThat(e.data().get("caught").asBoolean()).isTrue());
    }

    @Test
    void aStepTimeoutFailsTheCallWithTimeoutAndALateAnswerIsIgnored() {
        ManualDriver d = new ManualDriver("""
                workflow: w
                steps:
                  - { name: a, call: slow, timeout: 10s, retry: none, catch: [ { errors: [Timeout], result: err } ] }
                """).function("slow", in -> ManualDriver.HOLD);
        String run = d.start("w", "{}");
        d.tick(Duration.ofSeconds(10));
        RunState s = d.run(run);
        assertThat(s.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(s.data().get("err").get("type").asText()).isEqualTo("Timeout");
        long events = d.history(run).size();
        // when: the abandoned activation answers after all
        d.signal(run, new Signal.CallSucceeded("a#1", json("1"), d.now));
        // then
        assertThat(d.history(run)).hasSize((int) events);
        assertThat(d.run(run).data().has("a")).isFalse();
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

    @Test
    void waitsForADurationOrUntilATime() {
        ManualDriver d = new ManualDriver("""
                workflow: w
                steps:
                  - { name: pause, wait: 1h }
                  - { name: later, wait: { until: "${ input.at }" } }
                  - { name: done, set: { done: true } }
                """);
        String run = d.start("w", "{\"at\": \"2026-01-01T03:00:00Z\"}");
        d.tick(Duration.ofMinutes(59));
        assertThat(d.run(run).status()).isEqualTo(RunStatus.WAITING);
        d.tick(Duration.ofMinutes(1));
        assertThat(steps(d, run, Type.StepSucceeded)).containsExactly("pause");
        d.tick(Duration.ofHours(2));
        assertThat(d.run(run).status()).isEqualTo(RunStatus.SUCCEEDED);

        String past = d.start("w", "{\"at\": \"2020-01-01T00:00:00+02:00\"}");
        d.tick(Duration.ofHours(1));
        assertThat(d.run(past).status()).isEqualTo(RunStatus.SUCCEEDED);
        String bad = d.start("w", "{\"at\": \"tomorrow\"}");
        d.tick(Duration.ofHours(1));
        assertThat(d.run(bad).error().message()).contains("ISO-8601", "tomorrow");
    }

    @Test
    void anEventWaitResumesOnTypeAndKeyWhenMatchHoldsAndWritesTheEvent() {
        ManualDriver d = new ManualDriver("""
                workflow: w
                steps:
                  - name: review
                    wait: { event: review.decided, key: "${ input.orderId }", match: "${ event.data.final }", timeout: 2d, result: decision }
                """);
        String run = d.start("w", "{\"orderId\": \"o-1\"}");
        d.publish("review.decided", "o-2", "{\"final\": true}");
        d.publish("review.other", "o-1", "{\"final\": true}");
        d.publish("review.decided", "o-1", "{\"final\": false}");
        assertThat(d.run(run).status()).isEqualTo(RunStatus.WAITING);
        d.publish("review.decided", "o-1", "{\"final\": true, \"ok\": 1}");
        RunState s = d.run(run);
        assertThat(s.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(s.data().get("decision").get("data").get("ok").asInt()).isEqualTo(1);
        assertThat(s.data().get("decision").get("subject").asText()).isEqualTo("o-1");
        assertThat(d.timers()).isEmpty();
    }

    @Test
    void anEventWaitTimesOutWithTimeout() {
        ManualDriver d = new ManualDriver("""
                workflow: w
                steps:
                  - name: review
                    wait: { event: review.decided, key: "${ input.orderId }", timeout: 2d }
                    catch: [ { errors: [Timeout], next: declined } ]
                  - { name: approved, set: { outcome: approved }, end: true }
                  - { name: declined, set: { outcome: declined } }
                """);
        String run = d.start("w", "{\"orderId\": \"o-1\"}");
        d.tick(Duration.ofDays(2));
        assertThat(d.run(run).data().get("outcome").asText()).isEqualTo("declined");
        d.publish("review.decided", "o-1", "{}");
        assertThat(d.run(run).data().get("outcome").asText()).isEqualTo("declined");
    }

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

    @Test
    void aChildWorkflowsOutputIsTheStepsResultAndItsFailureIsChildFailed() {
        ManualDriver d = new ManualDriver("""
                workflow: parent
                steps:
                  - { name: sub, workflow: child, with: { n: "${ input.n }" }, retry: none }
                ---
                workflow: child
                output: ${ data.n * 10 }
                steps:
                  - { name: check, if: "${ data.n < 0 }", fail: { error: Negative, message: "n < 0" } }
                """);
        String ok = d.start("parent", "{\"n\": 4}");
        assertThat(d.run(ok).data().get("sub").asInt()).isEqualTo(40);
        String bad = d.start("parent", "{\"n\": -1}");
        assertThat(d.run(bad).status()).isEqualTo(RunStatus.FAILED);
        assertThat(d.run(bad).error().type()).isEqualTo("ChildFailed");
        assertThat(d.run(bad).error().message()).contains("Negative", "n < 0");
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
    void theRunTimeoutEndsTheRunTimedOutAndAbandonsItsWork() {
        ManualDriver d = new ManualDriver("""
                workflow: w
                timeout: 1m
                steps:
                  - { name: a, call: slow }
                """).function("slow", in -> ManualDriver.HOLD);
        String run = d.start("w", "{}");
        d.tick(Duration.ofMinutes(1));
        RunState s = d.run(run);
        assertThat(s.status()).isEqualTo(RunStatus.TIMED_OUT);
        assertThat(s.error().type()).isEqualTo("Timeout");
        assertThat(d.heldCalls).isEmpty();
        assertThat(types(d, run)).endsWith(Type.TimerFired, Type.StepFailed, Type.RunTimedOut);
    }

    @Test
    void cancelEndsAWaitingRunAndItsChildrenAndLaterSignalsChangeNothing() {
        ManualDriver d = new ManualDriver("""
                workflow: parent
                steps:
                  - name: both
                    parallel:
                      branches:
                        - steps: [ { name: sub, workflow: child } ]
                        - steps: [ { name: pause, wait: 1h } ]
                ---
                workflow: child
                steps:
                  - { name: hold, wait: { event: never, key: x } }
                """);
        String run = d.start("parent", "{}");
        String child = d.runs.keySet().stream().filter(id -> !id.equals(run)).findFirst().orElseThrow();
        d.cancel(run);
        assertThat(d.run(run).status()).isEqualTo(RunStatus.CANCELLED);
        assertThat(d.run(child).status()).isEqualTo(RunStatus.CANCELLED);
        assertThat(d.timers()).isEmpty();
        int events = d.history(run).size();
        d.tick(Duration.ofHours(2));
        d.cancel(run);
        assertThat(d.history(run)).hasSize(events);
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
}
