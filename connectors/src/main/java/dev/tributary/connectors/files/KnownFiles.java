package dev.tributary.connectors.files;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;

/**
 * The decisions of a files trigger, without threads or I/O: what the directory held when its
 * changes were last handed over (the known state), which differences are still settling, and which
 * are being handed over. A difference becomes a {@link FileChange} once the directory has shown the
 * same state of the file (size and last-modified time) for the whole debounce window, so a file
 * being written fires once, after the last write. Not thread-safe: one thread drives it.
 */
final class KnownFiles {

    /** A difference first seen at {@code sinceNanos} and unchanged since; {@code state} null = gone. */
    private record Settling(FileState state, long sinceNanos) {
    }

    private final long debounceNanos;
    private final Map<String, FileState> known = new HashMap<>();
    private final Map<String, Settling> settling = new HashMap<>();
    private final Set<String> handingOver = new HashSet<>();

    KnownFiles(Duration debounce) {
        if (debounce.isNegative()) {
            throw new IllegalArgumentException("Expected a debounce window of 0 or more, but got " + debounce);
        }
        this.debounceNanos = debounce.toNanos();
    }

    /** Starts from the state recorded before a restart. */
    void load(Collection<FileState> recorded) {
        known.clear();
        recorded.forEach(file -> known.put(file.path(), file));
    }

    /**
     * Compares a listing of the directory (taken at {@code nowNanos}, by relative path) with the
     * known state and returns the changes that have settled, in path order; they count as being
     * handed over until {@link #handedOver} or {@link #notHandedOver} is called for them.
     */
    List<FileChange> observe(Map<String, FileState> listing, long nowNanos) {
        Set<String> paths = new TreeSet<>(known.keySet());
        paths.addAll(listing.keySet());
        paths.addAll(settling.keySet());
        List<FileChange> settled = new ArrayList<>();
        for (String path : paths) {
            if (handingOver.contains(path)) {
                continue; // the next listing after the hand-over decides what more to do
            }
            FileState now = listing.get(path);
            FileState before = known.get(path);
            if (Objects.equals(now, before)) {
                settling.remove(path); // back as it was known (or gone before it was ever handed over)
                continue;
            }
            Settling seen = settling.get(path);
            if (seen == null || !Objects.equals(seen.state(), now)) {
                settling.put(path, new Settling(now, nowNanos));
            } else if (nowNanos - seen.sinceNanos() >= debounceNanos) {
                settling.remove(path);
                handingOver.add(path);
                settled.add(FileChange.between(before, now));
            }
        }
        return settled;
    }

    /** The change was handed over: its state is now the known one. */
    void handedOver(FileChange change) {
        handingOver.remove(change.path());
        if (change.after() == null) {
            known.remove(change.path());
        } else {
            known.put(change.path(), change.after());
        }
    }

    /** The change could not be handed over: it stays a difference, to be tried again. */
    void notHandedOver(FileChange change) {
        handingOver.remove(change.path());
    }

    /** When the earliest settling difference will have been quiet for the debounce window; empty when none is. */
    OptionalLong nextSettleNanos() {
        return settling.values().stream().mapToLong(s -> s.sinceNanos() + debounceNanos).min();
    }
}
