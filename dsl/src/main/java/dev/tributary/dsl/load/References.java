package dev.tributary.dsl.load;

import dev.tributary.dsl.model.Kind;
import dev.tributary.dsl.source.SourceLocation;
import java.util.ArrayList;
import java.util.List;

/** The names a document refers to, checked once the whole deploy set has been read. */
final class References {

    record Reference(Kind kind, String name, String path, SourceLocation location, Report report) {
    }

    private final List<Reference> all = new ArrayList<>();

    void add(Kind kind, String name, String path, Report report) {
        all.add(new Reference(kind, name, path, report.map().valueAt(path), report));
    }

    List<Reference> all() {
        return all;
    }
}
