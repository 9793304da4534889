package dev.tributary.dsl.model;

import java.util.regex.Pattern;

/**
 * Where a function's code comes from: written inline ({@code source:}) or a path relative to the
 * definition file ({@code code:}) — a file, a directory, a {@code .zip} or a {@code .jar}.
 *
 * @param sha256 with a path: the SHA-256 (64 lowercase hex digits) of the code uploaded with the
 *               deploy, set by the server ({@code code-sha256:}) so changed code is a new version
 *               and any node can fetch the same bytes; null before the server has stored the code
 */
public record FunctionCode(String inline, String path, String sha256) {

    public static final FunctionCode NONE = new FunctionCode(null, null, null);
    public static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    public FunctionCode {
        if (sha256 != null && (path == null || !SHA256.matcher(sha256).matches())) {
            throw new IllegalArgumentException("Expected a code-sha256 of 64 lowercase hex digits with a code path, but got '"
                    + sha256 + "'" + (path == null ? " without a path" : ""));
        }
    }

    public static FunctionCode inline(String source) {
        return new FunctionCode(source, null, null);
    }

    public static FunctionCode path(String path) {
        return new FunctionCode(null, path, null);
    }

    public static FunctionCode path(String path, String sha256) {
        return new FunctionCode(null, path, sha256);
    }

    public FunctionCode withSha256(String digest) {
        return new FunctionCode(inline, path, digest);
    }

    public boolean isInline() {
        return inline != null;
    }

    public boolean isPath() {
        return path != null;
    }
}
