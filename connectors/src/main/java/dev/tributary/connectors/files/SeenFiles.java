package dev.tributary.connectors.files;

import java.util.List;

/**
 * What a {@code files} trigger has already fired for, kept across restarts: per trigger, the last
 * state of every file whose change was handed to the event sink. A restarted source compares its
 * directory with this, so files that did not change are not fired again and files that changed,
 * arrived or went away while it was down are. Methods may block on a database.
 */
public interface SeenFiles {

    /** Every file recorded for {@code trigger}, in no particular order; empty when none. */
    List<FileState> load(String trigger);

    /** Records {@code file} as seen for {@code trigger}, replacing what was recorded for its path. */
    void record(String trigger, FileState file);

    /** Forgets the file at {@code path} (relative to the trigger's directory); nothing when it was not recorded. */
    void forget(String trigger, String path);
}
