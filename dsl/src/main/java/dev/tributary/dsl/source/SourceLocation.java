package dev.tributary.dsl.source;

/** A place in a definition file; line and column count from 1. */
public record SourceLocation(String file, int line, int column) {

    public static SourceLocation startOf(String file) {
        return new SourceLocation(file, 1, 1);
    }

    /** The place {@code chars} characters further along the same line. */
    public SourceLocation shiftedBy(int chars) {
        return new SourceLocation(file, line, column + chars);
    }

    @Override
    public String toString() {
        return file + ":" + line + ":" + column;
    }
}
