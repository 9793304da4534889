package dev.tributary.dsl.load;

import dev.tributary.dsl.model.Definition;
import dev.tributary.dsl.source.Problem;
import java.util.List;

/**
 * The outcome of reading a deploy set: its definitions when it is valid as a whole, else every
 * problem found (in file order) and no definitions — a set deploys atomically or not at all.
 */
public record LoadResult(List<Definition> definitions, List<Problem> problems) {

    public LoadResult {
        definitions = List.copyOf(definitions);
        problems = List.copyOf(problems);
    }

    public boolean ok() {
        return problems.isEmpty();
    }
}
