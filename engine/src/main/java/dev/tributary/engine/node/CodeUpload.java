package dev.tributary.engine.node;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.Objects;

/**
 * Function code uploaded with a deploy: the archive for one {@code code:} path, in the form
 * {@link dev.tributary.functions.code.CodeArchive} packs it (a {@code .zip} or {@code .jar} as it
 * is; a file or directory as a deterministic zip).
 *
 * @param path  the code path as the deploy resolves it: {@link #resolve} of the definition file's
 *              name and the function's {@code code:} value
 * @param bytes the archive
 */
public record CodeUpload(String path, byte[] bytes) {

    public CodeUpload {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(bytes, "bytes");
    }

    /**
     * Where a function's {@code code:} path points, as both sides of a deploy compute it: relative
     * to the directory of the definition file's name ({@code defs/app.yaml} + {@code fn/handler.py}
     * = {@code defs/fn/handler.py}; an absolute path stays as it is), then {@link #normalise}d.
     * File names are the ones the deploy carries, so {@code trib deploy} resolves against the name
     * a file travels under.
     */
    public static String resolve(String definitionFile, String codePath) {
        if (codePath.startsWith("/")) {
            return normalise(codePath);
        }
        int slash = definitionFile.lastIndexOf('/');
        return normalise(slash < 0 ? codePath : definitionFile.substring(0, slash + 1) + codePath);
    }

    /**
     * A {@code /}-separated path without empty or {@code .} segments, without a trailing slash, and
     * with each {@code ..} taking back the segment before it ({@code a/./b/../c/} = {@code a/c});
     * leading {@code ..} segments of a relative path stay. The empty path is {@code .}.
     */
    public static String normalise(String path) {
        boolean absolute = path.startsWith("/");
        Deque<String> segments = new ArrayDeque<>();
        for (String segment : path.split("/")) {
            if (segment.isEmpty() || segment.equals(".")) {
                continue;
            }
            if (segment.equals("..") && !segments.isEmpty() && !segments.peekLast().equals("..")) {
                segments.removeLast();
            } else if (!(segment.equals("..") && absolute)) {
                segments.addLast(segment);
            }
        }
        String joined = String.join("/", segments);
        return absolute ? "/" + joined : joined.isEmpty() ? "." : joined;
    }

    /** Equal uploads have equal paths and bytes (a record would compare the arrays by identity). */
    @Override
    public boolean equals(Object other) {
        return other instanceof CodeUpload u && u.path.equals(path) && Arrays.equals(u.bytes, bytes);
    }

    @Override
    public int hashCode() {
        return 31 * path.hashCode() + Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "CodeUpload[" + path + ", " + bytes.length + " bytes]";
    }
}
