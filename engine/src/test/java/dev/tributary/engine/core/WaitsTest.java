package dev.tributary.engine.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.engine.core.HistoryEvent.Type;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Waits for a duration, a time or an event; the run timeout; cancel. */
class WaitsTest extends InterpreterScenarios {
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

}
