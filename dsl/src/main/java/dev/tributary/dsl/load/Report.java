package dev.tributary.dsl.load;

import dev.tributary.dsl.source.Problem;
import dev.tributary.dsl.source.SourceLocation;
import dev.tributary.dsl.source.SourceMap;
import java.util.List;

/** Collects the problems of one document, placing each at the key or value its path names. */
final class Report {

    private final SourceMap map;
    private final List<Problem> problems;

    Report(SourceMap map, List<Problem> problems) {
        this.map = map;
        this.problems = problems;
    }

    SourceMap map() {
        return map;
    }

    /** A problem with a field as such (unknown, not allowed here): points at its key. */
    void atKey(String path, String message) {
        problems.add(new Problem(map.keyAt(path), path, message));
    }

    /** A problem with what a field holds: points at its value. */
    void atValue(String path, String message) {
        problems.add(new Problem(map.valueAt(path), path, message));
    }

    void at(SourceLocation location, String path, String message) {
        problems.add(new Problem(location, path, message));
    }

    int count() {
        return problems.size();
    }
}
