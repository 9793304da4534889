package dev.tributary.connectors.files;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.dsl.model.TriggerSource.FileEvent;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class FileEventsTest {

    private static final Instant T = Instant.parse("2025-02-01T08:00:00.123456Z");

    @Test
    void anIdNamesTheTriggerKindPathModifiedMicrosAndSize() {
        FileChange change = new FileChange(FileEvent.MODIFIED, new FileState("a.csv", 1, T), new FileState("a.csv", 2, T.plusMillis(1)));

        assertThat(FileEvents.id("drop", change)).isEqualTo("drop/modified/a.csv/1738396800124456/2");
    }

    @Test
    void aPathTooLongForTheInboxIsNamedByItsDigestInTheId() {
        // given: the longest name most file systems allow
        String name = "x".repeat(251) + ".csv";
        FileChange change = FileChange.between(null, new FileState(name, 7, T));

        // when
        String id = FileEvents.id("a-trigger-name-of-the-longest-kind-the-dsl-allows-sixty-three-c", change);

        // then
        assertThat(id).hasSizeLessThanOrEqualTo(FileEvents.MAX_ID_LENGTH).contains("/created/sha256:").endsWith("/1738396800123456/7");
        assertThat(FileEvents.id("a-trigger-name-of-the-longest-kind-the-dsl-allows-sixty-three-c", change)).isEqualTo(id);
    }
}
