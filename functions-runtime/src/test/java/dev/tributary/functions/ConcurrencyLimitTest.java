package dev.tributary.functions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.dsl.model.FunctionDef;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class ConcurrencyLimitTest {

    private final List<Job> started = new ArrayList<>();
    private final List<CompletableFuture<Execution>> running = new ArrayList<>();
    private final ConcurrencyLimit limited = new ConcurrencyLimit(job -> {
        CompletableFuture<Execution> execution = new CompletableFuture<>();
        started.add(job);
        running.add(execution);
        return execution;
    });

    @Test
    void runsAtMostTheFunctionsConcurrencyAndTheRestInArrivalOrder() {
        // given a function allowed two at once
        FunctionDef two = FunctionFixtures.function("function: f\nruntime: process\nhandler: cat\nconcurrency: 2\n");

        // when five activations arrive
        List<CompletableFuture<Execution>> answers = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            answers.add(limited.invoke(job(two, "{\"n\": " + i + "}")));
        }

        // then two run; each one finishing lets the next waiting one in, first come first served
        assertThat(started).hasSize(2);
        running.get(0).complete(done());
        assertThat(started).hasSize(3);
        assertThat(started.get(2).input().get("n").asInt()).isEqualTo(2);
        running.get(1).completeExceptionally(new IllegalStateException("crashed"));
        running.get(2).complete(done());
        assertThat(started).extracting(j -> j.input().get("n").asInt()).containsExactly(0, 1, 2, 3, 4);
        assertThat(answers.get(0)).isCompleted();
        assertThat(answers.get(1)).isCompletedExceptionally();
        assertThat(answers.get(4)).isNotDone();
    }

    @Test
    void versionsOfAFunctionHaveTheirOwnLine() {
        // given
        FunctionDef one = FunctionFixtures.function("function: f\nruntime: process\nhandler: cat\nconcurrency: 1\n");

        // when version 1 is busy and version 2 is asked for
        limited.invoke(job(one, "{}"));
        Invocation v2 = new Invocation(one, 2, FunctionFixtures.json("{}"), "a-2", "k-2", 1, null, null, null);
        limited.invoke(new Job(v2, Map.of(), Duration.ofSeconds(1)));

        // then both run
        assertThat(started).hasSize(2);
    }

    @Test
    void aJobWhoseTimeoutPassedInLineFailsWithoutRunning() {
        // given a job with no time left
        FunctionDef f = FunctionFixtures.function("function: f\nruntime: process\nhandler: cat\n");
        Job late = new Job(FunctionFixtures.invocation(f, "{}"), Map.of(), Duration.ZERO);

        // when
        CompletableFuture<Execution> answer = limited.invoke(late);

        // then the runtime never saw it, and the slot is free again
        assertThat(answer).isCompletedExceptionally();
        assertThat(started).isEmpty();
        limited.invoke(job(f, "{}"));
        assertThat(started).hasSize(1);
    }

    private static Job job(FunctionDef function, String input) {
        return FunctionFixtures.job(function, input);
    }

    private static Execution done() {
        return new Execution(new InvocationResult.Success(null), Instant.EPOCH, Duration.ZERO, false, "");
    }
}
