package dev.tributary.connectors;

import java.util.regex.Pattern;

/**
 * The names of built-in queues and streams: what the DSL accepts for {@code queue:} and
 * {@code stream:}, with room for the {@code .dlq} suffix of a dead-letter queue.
 */
public final class ConnectorNames {

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9._-]{0,199}");
    private static final String RULE = "lower-case letters, digits, '.', '_' and '-', starting with a letter, at most 200 characters";

    private ConnectorNames() {
    }

    /** @throws IllegalArgumentException naming {@code what} ("queue", "stream") when {@code name} is not a usable name */
    public static String check(String what, String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("Expected a " + what + " name of " + RULE + ", but got "
                    + (name == null ? "none" : "'" + name + "'"));
        }
        return name;
    }
}
