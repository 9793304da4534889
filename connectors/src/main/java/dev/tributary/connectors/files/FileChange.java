package dev.tributary.connectors.files;

import dev.tributary.dsl.model.TriggerSource.FileEvent;

/**
 * One settled change to one file, decided by comparing the directory with the known state.
 *
 * @param before the known state; null when the file is new
 * @param after  the state now; null when the file is gone
 */
record FileChange(FileEvent kind, FileState before, FileState after) {

    static FileChange between(FileState before, FileState after) {
        if (before == null && after == null) {
            throw new IllegalArgumentException("Expected a file before or after a change, but got neither");
        }
        FileEvent kind = before == null ? FileEvent.CREATED : after == null ? FileEvent.DELETED : FileEvent.MODIFIED;
        return new FileChange(kind, before, after);
    }

    String path() {
        return latest().path();
    }

    /** The state the event describes: the file now, or as it was last seen when it is gone. */
    FileState latest() {
        return after != null ? after : before;
    }
}
