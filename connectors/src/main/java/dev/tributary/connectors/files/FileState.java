package dev.tributary.connectors.files;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * A file as last seen: its path relative to the watched directory, its size and its last-modified
 * time. The time is kept to the microsecond, as the store keeps it, so a state read back after a
 * restart equals the one recorded.
 */
public record FileState(String path, long size, Instant modified) {

    public FileState {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(modified, "modified");
        if (size < 0) {
            throw new IllegalArgumentException("Expected a file size of 0 or more for '" + path + "', but got " + size);
        }
        modified = modified.truncatedTo(ChronoUnit.MICROS);
    }

    /** The last-modified time in epoch microseconds, as it appears in event ids. */
    public long modifiedMicros() {
        return ChronoUnit.MICROS.between(Instant.EPOCH, modified);
    }
}
