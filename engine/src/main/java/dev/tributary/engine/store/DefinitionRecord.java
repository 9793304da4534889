package dev.tributary.engine.store;

import dev.tributary.dsl.model.Kind;
import java.time.Instant;

/**
 * One stored version of a definition: the document as deployed (JSON text of one DSL document),
 * from which the definition is loaded again.
 */
public record DefinitionRecord(Kind kind, String name, int version, String document, Instant deployedAt, boolean deleted) {

    /** A document about to be deployed; the store assigns the version. */
    public record Draft(Kind kind, String name, String document, Instant deployedAt) {
    }
}
