package dev.tributary.engine.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.connectors.files.FileState;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link dev.tributary.connectors.files.SeenFiles} must do. A backend's test extends
 * this and says how to open a store (whose {@code seenFiles()} is tested) and how to open the same data again.
 */
abstract class SeenFilesContract {

    private static final Instant T = Instant.parse("2025-02-01T08:00:00.123456789Z");

    protected JdbcRunStore store;

    protected abstract JdbcRunStore openStore();

    protected abstract JdbcRunStore reopenStore();

    @BeforeEach
    void open() {
        store = openStore();
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void givesBackEachTriggersFilesAfterAReopenToTheMicrosecond() {
        // given
        store.seenFiles().record("drop", new FileState("a.csv", 10, T));
        store.seenFiles().record("drop", new FileState("b.csv", 0, T.plusSeconds(1)));
        store.seenFiles().record("other", new FileState("a.csv", 99, T));

        // when
        store.close();
        store = reopenStore();

        // then
        assertThat(store.seenFiles().load("drop")).containsExactlyInAnyOrder(
                new FileState("a.csv", 10, Instant.parse("2025-02-01T08:00:00.123456Z")),
                new FileState("b.csv", 0, T.plusSeconds(1)));
        assertThat(store.seenFiles().load("other")).containsExactly(new FileState("a.csv", 99, T));
        assertThat(store.seenFiles().load("none")).isEmpty();
    }

    @Test
    void recordingAFileAgainReplacesWhatWasRecordedForItsPath() {
        // given
        store.seenFiles().record("drop", new FileState("a.csv", 10, T));

        // when
        store.seenFiles().record("drop", new FileState("a.csv", 20, T.plusSeconds(5)));

        // then
        assertThat(store.seenFiles().load("drop")).containsExactly(new FileState("a.csv", 20, T.plusSeconds(5)));
    }

    @Test
    void recordingTheSameNewFileFromSeveralNodesAtOnceKeepsOneRow() {
        // when
        List<CompletableFuture<Void>> records = IntStream.range(0, 4)
                .mapToObj(i -> CompletableFuture.runAsync(() -> store.seenFiles().record("drop", new FileState("a.csv", 10, T))))
                .toList();
        records.forEach(CompletableFuture::join);

        // then
        assertThat(store.seenFiles().load("drop")).containsExactly(new FileState("a.csv", 10, T));
    }

    @Test
    void forgettingAFileRemovesOnlyThatPathOfThatTrigger() {
        // given
        store.seenFiles().record("drop", new FileState("a.csv", 10, T));
        store.seenFiles().record("drop", new FileState("b.csv", 10, T));
        store.seenFiles().record("other", new FileState("a.csv", 10, T));

        // when
        store.seenFiles().forget("drop", "a.csv");
        store.seenFiles().forget("drop", "never-seen.csv");

        // then
        assertThat(store.seenFiles().load("drop")).extracting(FileState::path).containsExactly("b.csv");
        assertThat(store.seenFiles().load("other")).extracting(FileState::path).containsExactly("a.csv");
    }
}
