package dev.tributary.dsl.source;

import java.util.Comparator;

/**
 * One thing wrong with a definition: where (file:line:col and a path such as
 * {@code steps[2].switch[0].next}) and what, in words a user can act on.
 */
public record Problem(SourceLocation location, String path, String message) {

    public static final Comparator<Problem> IN_FILE_ORDER = Comparator
            .comparing((Problem p) -> p.location().file())
            .thenComparingInt(p -> p.location().line())
            .thenComparingInt(p -> p.location().column())
            .thenComparing(Problem::path);

    /** {@code file:line:col: path: message}, or without the path when the problem is the whole file. */
    @Override
    public String toString() {
        return location + ": " + (path.isEmpty() ? "" : path + ": ") + message;
    }
}
