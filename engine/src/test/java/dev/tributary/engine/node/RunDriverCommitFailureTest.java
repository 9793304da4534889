package dev.tributary.engine.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tributary.engine.core.HistoryEvent;
import dev.tributary.engine.core.RunStatus;
import dev.tributary.engine.store.JdbcRunStore;
import dev.tributary.functions.Functions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Commits that fail — lost, or durable but reported as failed — make the driver reload the run
 * and apply the signal again; runs still end once, and no step completes twice.
 */
class RunDriverCommitFailureTest {

    private static final int RUNS = 200;

    @TempDir
    Path dataDir;

    @ParameterizedTest
    @EnumSource(FlakyStore.Mode.class)
    void runsEndExactlyOnceWhenEveryFifthCommitFails(FlakyStore.Mode mode) {
        // given
        NodeFixture fixture = new NodeFixture(dataDir);
        JdbcRunStore jdbc = fixture.store();
        FlakyStore store = new FlakyStore(jdbc, 5, mode);
        try (Node node = Node.start(fixture.config(), store, jdbc.activations(), Functions.withDefaults(fixture.clock))) {
            node.deploy(TestWorkflows.files(TestWorkflows.SIMPLE));

            // when
            List<CompletableFuture<RunView>> starts = new ArrayList<>();
            for (int i = 0; i < RUNS; i++) {
                starts.add(node.startRun("simple", NodeFixture.json("{\"n\": " + i + "}"), null));
            }
            List<String> ids = starts.stream().map(CompletableFuture::join).map(RunView::id).toList();
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    ids.stream().allMatch(id -> node.run(id).orElseThrow().status().isFinal()));

            // then
            assertThat(store.failed.get()).isGreaterThanOrEqualTo(RUNS / 5);
            for (int i = 0; i < RUNS; i++) {
                RunView run = node.run(ids.get(i)).orElseThrow();
                assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
                assertThat(run.output().asInt()).isEqualTo(i + 2);
                List<HistoryEvent> history = node.history(run.id());
                assertThat(history.stream().filter(e -> e.type() == HistoryEvent.Type.StepSucceeded).map(HistoryEvent::step))
                        .doesNotHaveDuplicates();
                assertThat(history).extracting(HistoryEvent::seq).doesNotHaveDuplicates().isSorted();
            }
        }
    }
}
