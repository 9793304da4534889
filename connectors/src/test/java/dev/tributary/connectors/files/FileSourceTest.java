package dev.tributary.connectors.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.dsl.model.TriggerSource;
import dev.tributary.dsl.model.TriggerSource.FileEvent;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A files trigger on real temporary directories, handing its events to a collecting sink. */
class FileSourceTest {

    private static final String TRIGGER = "drop-folder";
    private static final Instant NOW = Instant.parse("2025-03-01T10:00:00Z");
    private static final Instant T = Instant.parse("2025-02-01T08:00:00.123456Z");

    @TempDir
    Path dir;

    private final CollectingSink sink = new CollectingSink();
    private final InMemorySeenFiles seen = new InMemorySeenFiles();
    private final List<FileSource> sources = new ArrayList<>();

    @BeforeEach
    void pollBriskly() {
        org.awaitility.Awaitility.setDefaultPollInterval(Duration.ofMillis(20));
        org.awaitility.Awaitility.setDefaultTimeout(Duration.ofSeconds(15));
    }

    @AfterEach
    void closeSources() {
        sources.forEach(FileSource::close);
        org.awaitility.Awaitility.reset();
    }

    @Test
    void firesCreatedModifiedAndDeletedWithThePathSizeAndModifiedTime() throws IOException {
        // given
        start(dir, "*.csv", EnumSet.allOf(FileEvent.class));

        // when: created
        Path file = write("orders.csv", "a,b\n", T);

        // then
        await().until(() -> sink.accepted().size() == 1);
        ObjectNode created = sink.accepted().get(0);
        assertThat(created.get("type").asText()).isEqualTo("tributary.file.created");
        assertThat(created.get("id").asText()).isEqualTo("drop-folder/created/orders.csv/" + micros(T) + "/4");
        assertThat(created.get("subject").asText()).isEqualTo("orders.csv");
        assertThat(created.get("source").asText()).isEqualTo("/triggers/drop-folder");
        assertThat(created.get("trigger").asText()).isEqualTo(TRIGGER);
        assertThat(created.get("time").asText()).isEqualTo(T.toString());
        assertThat(created.get("data").get("path").asText()).isEqualTo(file.toAbsolutePath().toString());
        assertThat(created.get("data").get("size").asLong()).isEqualTo(4);
        assertThat(created.get("data").get("modified").asText()).isEqualTo(T.toString());

        // when: modified
        write("orders.csv", "a,b\nc,d\n", T.plusSeconds(60));

        // then
        await().until(() -> sink.accepted().size() == 2);
        ObjectNode modified = sink.accepted().get(1);
        assertThat(modified.get("type").asText()).isEqualTo("tributary.file.modified");
        assertThat(modified.get("data").get("size").asLong()).isEqualTo(8);
        assertThat(modified.get("data").get("modified").asText()).isEqualTo(T.plusSeconds(60).toString());

        // when: deleted
        Files.delete(file);

        // then: the file as last seen, at the time it was noticed gone
        await().until(() -> sink.accepted().size() == 3);
        ObjectNode deleted = sink.accepted().get(2);
        assertThat(deleted.get("type").asText()).isEqualTo("tributary.file.deleted");
        assertThat(deleted.get("id").asText()).isEqualTo("drop-folder/deleted/orders.csv/" + micros(T.plusSeconds(60)) + "/8");
        assertThat(deleted.get("time").asText()).isEqualTo(NOW.toString());
        assertThat(deleted.get("data").get("path").asText()).isEqualTo(file.toAbsolutePath().toString());
        assertThat(deleted.get("data").get("size").asLong()).isEqualTo(8);
        assertThat(seen.load(TRIGGER)).isEmpty();
    }

    @Test
    void firesOnlyForRegularFilesDirectlyInTheDirectoryWhoseNamesMatchTheGlob() throws IOException {
        // given
        start(dir, "*.csv", EnumSet.allOf(FileEvent.class));

        // when
        write("notes.txt", "x", T);
        Files.createDirectories(dir.resolve("archive"));
        write("archive/old.csv", "x", T);
        Files.createDirectories(dir.resolve("folder.csv"));
        write("b.csv", "x", T);
        write("z.csv", "x", T); // the last name in path order: decided no earlier than the others

        // then
        await().until(() -> sink.subjects().contains("z.csv"));
        assertThat(sink.subjects()).containsExactlyInAnyOrder("b.csv", "z.csv");
    }

    @Test
    void firesOnlyTheEventKindsTheTriggerListsButKnowsEveryChange() throws IOException {
        // given
        start(dir, "*.csv", EnumSet.of(FileEvent.DELETED));

        // when: created, not listed
        Path file = write("a.csv", "x", T);

        // then: recorded without an event
        await().until(() -> seen.load(TRIGGER).size() == 1);
        assertThat(sink.accepted()).isEmpty();

        // when: deleted, listed
        Files.delete(file);

        // then
        await().until(() -> sink.accepted().size() == 1);
        assertThat(sink.types()).containsExactly("tributary.file.deleted");
    }

    @Test
    void aFileWrittenInSeveralChunksFiresOnceWhenItIsComplete() throws IOException {
        // given: a window well above the writer's pauses
        start(dir, "*.csv", EnumSet.allOf(FileEvent.class), Duration.ofSeconds(1), Duration.ofMillis(50));

        // when: a slow writer, 100 ms between chunks (the pauses are the scenario, not a wait for a result)
        try (OutputStream out = Files.newOutputStream(dir.resolve("big.csv"))) {
            for (int chunk = 0; chunk < 6; chunk++) {
                out.write("0123456789\n".getBytes(StandardCharsets.UTF_8));
                out.flush();
                LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
            }
        }
        write("z.csv", "x", T);

        // then
        await().until(() -> sink.subjects().contains("z.csv"));
        assertThat(sink.subjects()).containsExactlyInAnyOrder("big.csv", "z.csv");
        ObjectNode big = sink.accepted().stream().filter(e -> e.get("subject").asText().equals("big.csv")).findFirst().orElseThrow();
        assertThat(big.get("type").asText()).isEqualTo("tributary.file.created");
        assertThat(big.get("data").get("size").asLong()).isEqualTo(66);
    }

    @Test
    void aRestartFiresWhatChangedWhileStoppedAndNothingForFilesAlreadySeen() throws IOException {
        // given: three files seen by a first run of the source
        FileSource first = start(dir, "*.csv", EnumSet.allOf(FileEvent.class));
        write("kept.csv", "k", T);
        write("removed.csv", "r", T);
        write("changed.csv", "c", T);
        await().until(() -> seen.load(TRIGGER).size() == 3);
        first.close();

        // when: changes while it is down, then a second run with the same seen files
        Files.delete(dir.resolve("removed.csv"));
        write("changed.csv", "cc", T.plusSeconds(5));
        write("arrived.csv", "a", T);
        CollectingSink second = new CollectingSink();
        start(second, dir, "*.csv", EnumSet.allOf(FileEvent.class), Duration.ofMillis(100), Duration.ofMillis(200));

        // then: all three are decided by the first listing, so they settle together
        await().until(() -> second.accepted().size() >= 3);
        write("z.csv", "x", T);
        await().until(() -> second.subjects().contains("z.csv"));
        assertThat(second.accepted()).extracting(e -> e.get("type").asText() + " " + e.get("subject").asText())
                .containsExactlyInAnyOrder("tributary.file.created arrived.csv", "tributary.file.modified changed.csv",
                        "tributary.file.deleted removed.csv", "tributary.file.created z.csv");
        assertThat(seen.load(TRIGGER)).extracting(FileState::path)
                .containsExactlyInAnyOrder("kept.csv", "changed.csv", "arrived.csv", "z.csv");
    }

    @Test
    void aChangeTheSinkRefusedIsNotRecordedAndFiresAgainWithTheSameId() throws IOException {
        // given
        sink.refuse(true);
        start(dir, "*.csv", EnumSet.allOf(FileEvent.class));

        // when
        write("a.csv", "x", T);

        // then: refused, not seen, and tried again
        await().until(() -> sink.refused().size() >= 2);
        assertThat(seen.load(TRIGGER)).isEmpty();
        assertThat(sink.accepted()).isEmpty();

        // when: the sink accepts again
        sink.refuse(false);

        // then
        await().until(() -> sink.accepted().size() == 1);
        assertThat(sink.accepted().get(0).get("id").asText()).isEqualTo(sink.refused().get(0).get("id").asText());
        await().until(() -> seen.load(TRIGGER).size() == 1);
    }

    @Test
    void aMissingDirectoryIsWaitedForAndNotTakenForAnEmptyOne() throws IOException {
        // given: a file seen before, in a directory that is not there (yet)
        Path later = dir.resolve("later");
        seen.record(TRIGGER, new FileState("old.csv", 3, T));
        FileSource source = start(later, "*.csv", EnumSet.allOf(FileEvent.class));
        assertThat(source.directory()).isEqualTo(later.toAbsolutePath());

        // then: several rescans and debounce windows pass without a deletion
        await().during(Duration.ofMillis(800)).atMost(Duration.ofSeconds(2)).until(() -> sink.accepted().isEmpty());

        // when: the directory appears with the old file unchanged and a new one
        Files.createDirectories(later);
        write("later/old.csv", "old", T);
        write("later/new.csv", "new", T);

        // then: no deletion fired while it was missing, and the new file fires
        await().until(() -> sink.subjects().contains("new.csv"));
        write("later/z.csv", "x", T);
        await().until(() -> sink.subjects().contains("z.csv"));
        assertThat(sink.types()).containsOnly("tributary.file.created");
        assertThat(sink.subjects()).containsExactlyInAnyOrder("new.csv", "z.csv");
    }

    private FileSource start(Path watched, String glob, Set<FileEvent> events) {
        return start(watched, glob, events, Duration.ofMillis(100), Duration.ofMillis(200));
    }

    private FileSource start(Path watched, String glob, Set<FileEvent> events, Duration debounce, Duration rescan) {
        return start(sink, watched, glob, events, debounce, rescan);
    }

    private FileSource start(CollectingSink to, Path watched, String glob, Set<FileEvent> events, Duration debounce,
                             Duration rescan) {
        FileSource source = FileSource.builder(TRIGGER, new TriggerSource.Files(watched.toString(), glob, events), to, seen)
                .debounce(debounce).rescanEvery(rescan).clock(Clock.fixed(NOW, ZoneOffset.UTC)).build();
        sources.add(source);
        source.start();
        return source;
    }

    /** Writes a file under the watched directory and gives it a last-modified time (so a change is never lost to a coarse clock). */
    private Path write(String name, String content, Instant modified) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, content);
        Files.setLastModifiedTime(file, FileTime.from(modified));
        return file;
    }

    private static long micros(Instant instant) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, instant);
    }
}
