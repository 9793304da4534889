package dev.tributary.dsl.model;

/**
 * Where a function's code comes from: written inline ({@code source:}) or a path relative to the
 * definition file ({@code code:}) — a file, a directory, a {@code .zip} or a {@code .jar}.
 */
public record FunctionCode(String inline, String path) {

    public static final FunctionCode NONE = new FunctionCode(null, null);

    public static FunctionCode inline(String source) {
        return new FunctionCode(source, null);
    }

    public static FunctionCode path(String path) {
        return new FunctionCode(null, path);
    }

    public boolean isInline() {
        return inline != null;
    }

    public boolean isPath() {
        return path != null;
    }
}
