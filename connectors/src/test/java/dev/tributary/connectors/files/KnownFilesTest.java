package dev.tributary.connectors.files;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.dsl.model.TriggerSource.FileEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The decisions of a files trigger, driven by listings at chosen instants (nanoseconds). */
class KnownFilesTest {

    private static final long MS = 1_000_000L;
    private static final Instant T = Instant.parse("2025-03-01T10:00:00.123456789Z");

    private final KnownFiles known = new KnownFiles(Duration.ofMillis(500));

    @Test
    void aNewFileFiresCreatedOnceItHasStayedTheSameForTheWindow() {
        // given
        Map<String, FileState> listing = listing(file("a.csv", 10, 0));

        // when / then
        assertThat(known.observe(listing, 0)).isEmpty();
        assertThat(known.nextSettleNanos()).hasValue(500 * MS);
        assertThat(known.observe(listing, 499 * MS)).isEmpty();
        assertThat(known.observe(listing, 500 * MS)).containsExactly(new FileChange(FileEvent.CREATED, null, file("a.csv", 10, 0)));
        assertThat(known.nextSettleNanos()).isEmpty();
    }

    @Test
    void aFileStillBeingWrittenFiresOnceAfterItsLastWrite() {
        // given: three writes 300 ms apart
        assertThat(known.observe(listing(file("a.csv", 10, 0)), 0)).isEmpty();
        assertThat(known.observe(listing(file("a.csv", 20, 1)), 300 * MS)).isEmpty();
        assertThat(known.observe(listing(file("a.csv", 30, 2)), 600 * MS)).isEmpty();

        // when / then: quiet since the last write only from 600 ms on
        assertThat(known.observe(listing(file("a.csv", 30, 2)), 1000 * MS)).isEmpty();
        List<FileChange> settled = known.observe(listing(file("a.csv", 30, 2)), 1100 * MS);
        assertThat(settled).containsExactly(new FileChange(FileEvent.CREATED, null, file("a.csv", 30, 2)));
    }

    @Test
    void comparesWithTheLoadedStateForModifiedDeletedAndUnchangedFiles() {
        // given
        known.load(List.of(file("same.csv", 1, 0), file("changed.csv", 2, 0), file("gone.csv", 3, 0)));
        Map<String, FileState> listing = listing(file("same.csv", 1, 0), file("changed.csv", 2, 5), file("new.csv", 4, 0));

        // when
        known.observe(listing, 0);
        List<FileChange> settled = known.observe(listing, 500 * MS);

        // then: in path order
        assertThat(settled).containsExactly(
                new FileChange(FileEvent.MODIFIED, file("changed.csv", 2, 0), file("changed.csv", 2, 5)),
                new FileChange(FileEvent.DELETED, file("gone.csv", 3, 0), null),
                new FileChange(FileEvent.CREATED, null, file("new.csv", 4, 0)));
    }

    @Test
    void aFileCreatedAndRemovedWithinTheWindowFiresNothing() {
        assertThat(known.observe(listing(file("tmp.csv", 1, 0)), 0)).isEmpty();
        assertThat(known.observe(Map.of(), 200 * MS)).isEmpty();
        assertThat(known.observe(Map.of(), 900 * MS)).isEmpty();
        assertThat(known.nextSettleNanos()).isEmpty();
    }

    @Test
    void aChangeBeingHandedOverWaitsForTheOutcomeAndOneNotHandedOverFiresAgain() {
        // given
        Map<String, FileState> listing = listing(file("a.csv", 10, 0));
        known.observe(listing, 0);
        FileChange created = known.observe(listing, 500 * MS).get(0);

        // when: still being handed over
        assertThat(known.observe(listing, 2000 * MS)).isEmpty();
        known.notHandedOver(created);

        // then: it settles again from the next listing on
        assertThat(known.observe(listing, 3000 * MS)).isEmpty();
        assertThat(known.observe(listing, 3500 * MS)).containsExactly(created);

        // and once handed over it is known: nothing more
        known.handedOver(created);
        assertThat(known.observe(listing, 5000 * MS)).isEmpty();
        assertThat(known.observe(listing, 9000 * MS)).isEmpty();
    }

    @Test
    void aChangeMadeWhileTheLastOneWasHandedOverFiresAfterwards() {
        // given
        known.observe(listing(file("a.csv", 10, 0)), 0);
        FileChange created = known.observe(listing(file("a.csv", 10, 0)), 500 * MS).get(0);
        known.observe(listing(file("a.csv", 20, 1)), 600 * MS);

        // when
        known.handedOver(created);
        known.observe(listing(file("a.csv", 20, 1)), 700 * MS);

        // then
        assertThat(known.observe(listing(file("a.csv", 20, 1)), 1200 * MS))
                .containsExactly(new FileChange(FileEvent.MODIFIED, file("a.csv", 10, 0), file("a.csv", 20, 1)));
    }

    private static FileState file(String name, long size, long secondsLater) {
        return new FileState(name, size, T.plusSeconds(secondsLater));
    }

    private static Map<String, FileState> listing(FileState... files) {
        return Stream.of(files).collect(Collectors.toMap(FileState::path, f -> f));
    }
}
