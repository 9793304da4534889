package dev.tributary.dsl.load;

/** The text of one definition file (or request body) and the name to report it under. */
public record SourceText(String name, String text) {
}
