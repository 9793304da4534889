package dev.tributary.dsl.model;

import java.util.Arrays;
import java.util.Optional;

/** The four kinds of document; each is recognised by its kind key at the top level. */
public enum Kind {
    FUNCTION("function"),
    WORKFLOW("workflow"),
    TRIGGER("trigger"),
    RULE("rule");

    private final String key;

    Kind(String key) {
        this.key = key;
    }

    /** The top-level key that names a document of this kind, e.g. {@code workflow}. */
    public String key() {
        return key;
    }

    public static Optional<Kind> ofKey(String key) {
        return Arrays.stream(values()).filter(k -> k.key.equals(key)).findFirst();
    }
}
