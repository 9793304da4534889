package dev.tributary.dsl.source;

import java.util.HashMap;
import java.util.Map;

/**
 * Where each value (and each object key) of one parsed document stood in its file, by path.
 * Lets any later check point a user at file:line:col although JSON trees carry no locations.
 */
public final class SourceMap {

    private final String file;
    private final Map<String, SourceLocation> values = new HashMap<>();
    private final Map<String, SourceLocation> keys = new HashMap<>();

    public SourceMap(String file) {
        this.file = file;
    }

    void putValue(String path, SourceLocation location) {
        values.put(path, location);
    }

    void putKey(String path, SourceLocation location) {
        keys.put(path, location);
    }

    public String file() {
        return file;
    }

    /** Where the value at {@code path} starts; falls back to the nearest enclosing value. */
    public SourceLocation valueAt(String path) {
        String p = path;
        while (true) {
            SourceLocation at = values.get(p);
            if (at != null) {
                return at;
            }
            if (p.isEmpty()) {
                return SourceLocation.startOf(file);
            }
            p = Paths.parent(p);
        }
    }

    /** Where the key of the field at {@code path} stands; the value's place if it has no key. */
    public SourceLocation keyAt(String path) {
        SourceLocation at = keys.get(path);
        return at != null ? at : valueAt(path);
    }
}
