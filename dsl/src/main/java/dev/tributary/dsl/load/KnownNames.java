package dev.tributary.dsl.load;

import dev.tributary.dsl.model.Kind;
import java.util.Set;

/**
 * The names already deployed, against which a deploy set's references are resolved in
 * addition to its own definitions. Offline validation knows none.
 */
@FunctionalInterface
public interface KnownNames {

    KnownNames NONE = (kind, name) -> false;

    boolean has(Kind kind, String name);

    /** The built-in connector functions of SPEC §6, which always exist. */
    Set<String> BUILT_IN_FUNCTIONS = Set.of(
            "table.put", "table.get", "table.query", "table.delete", "queue.send", "stream.put", "http.request", "event.emit");
}
