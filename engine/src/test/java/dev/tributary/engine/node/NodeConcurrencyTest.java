package dev.tributary.engine.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tributary.engine.core.RunStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Many runs at once over all shards: each ends exactly once, with the right output. */
class NodeConcurrencyTest {

    /** -Dtributary.bench.runs=N runs more, to measure. */
    private static final int RUNS = Integer.getInteger("tributary.bench.runs", 1_000);

    @TempDir
    Path dataDir;
    private NodeFixture fixture;

    @AfterEach
    void closeNode() {
        fixture.close();
    }

    @Test
    void manyRunsAtOnceAllSucceed() {
        // given
        fixture = new NodeFixture(dataDir);
        Node node = fixture.start();
        node.deploy(TestWorkflows.files(TestWorkflows.SIMPLE));
        AtomicInteger ended = new AtomicInteger();

        // when
        long begin = System.nanoTime();
        List<CompletableFuture<RunView>> runs = new ArrayList<>();
        for (int i = 0; i < RUNS; i++) {
            runs.add(node.startRun("simple", NodeFixture.json("{\"n\": " + i + "}"), null)
                    .thenCompose(run -> node.awaitEnd(run.id(), Duration.ofSeconds(300)))
                    .whenComplete((run, error) -> ended.incrementAndGet()));
        }
        await().atMost(Duration.ofSeconds(300)).until(() -> ended.get() == RUNS);
        long millis = Math.max(1, (System.nanoTime() - begin) / 1_000_000);

        // then
        for (int i = 0; i < RUNS; i++) {
            RunView run = runs.get(i).join();
            assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(run.output().asInt()).isEqualTo(i + 2);
            assertThat(node.history(run.id())).extracting(e -> e.type().name())
                    .containsOnlyOnce("RunSucceeded");
        }
        // Each run is 3 transitions (the start, two call answers); print the rate for the record.
        System.out.printf("node: %d runs of 3 steps in %d ms: %.0f runs/s, %.0f transitions/s%n", RUNS, millis,
                RUNS * 1000.0 / millis, RUNS * 3 * 1000.0 / millis);
    }
}
