package dev.tributary.engine.core;

import static dev.tributary.engine.core.ManualDriver.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.engine.core.HistoryEvent.Type;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Calls and child runs: retry, catch, timeouts, late answers. */
class CallsTest extends InterpreterScenarios {
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

}
