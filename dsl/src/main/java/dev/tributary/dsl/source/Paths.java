package dev.tributary.dsl.source;

import java.util.regex.Pattern;

/** Builds the user-facing paths that name a value inside a document: {@code steps[2].with.amount}. */
public final class Paths {

    private static final Pattern PLAIN_KEY = Pattern.compile("[A-Za-z0-9_$-]+");

    private Paths() {
    }

    public static String field(String parent, String key) {
        String step = PLAIN_KEY.matcher(key).matches() ? key : "[\"" + key.replace("\"", "\\\"") + "\"]";
        if (parent.isEmpty() || step.startsWith("[")) {
            return parent + step;
        }
        return parent + "." + step;
    }

    public static String index(String parent, int index) {
        return parent + "[" + index + "]";
    }

    /** The path one level up, or "" at the top. */
    public static String parent(String path) {
        if (path.endsWith("]")) {
            int open = path.lastIndexOf('[');
            return open <= 0 ? "" : path.substring(0, open);
        }
        int dot = path.lastIndexOf('.');
        return dot < 0 ? "" : path.substring(0, dot);
    }
}
