package dev.tributary.engine.node;

import dev.tributary.dsl.model.Definition;
import dev.tributary.dsl.model.FunctionDef;
import dev.tributary.dsl.source.SourceDocument;
import dev.tributary.dsl.source.SourceLocation;
import java.util.ArrayList;
import java.util.List;

/**
 * A function of a deploy set whose code is a {@code code:} path: the code a deploy must carry for
 * it, and where to point a user when it does not.
 *
 * @param index    the definition's position in the set (document order)
 * @param function the function's name
 * @param file     the name of the definition file the function is in, as the deploy names it
 * @param path     the {@code code:} value as written
 * @param location where that value stands in the file
 */
public record CodeReference(int index, String function, String file, String path, SourceLocation location) {

    /** The field a problem with the code points at. */
    public static final String FIELD = "code";

    /** The path the upload for this function's code is named by ({@link CodeUpload#resolve}). */
    public String uploadPath() {
        return CodeUpload.resolve(file, path);
    }

    /**
     * The code paths of a valid set.
     *
     * @param documents   every document of the set, in file and document order
     * @param definitions what the loader read from them: one per document, in the same order
     */
    public static List<CodeReference> in(List<SourceDocument> documents, List<Definition> definitions) {
        if (documents.size() != definitions.size()) {
            throw new IllegalArgumentException("Expected one definition per document, but there are " + definitions.size()
                    + " definitions for " + documents.size() + " documents");
        }
        List<CodeReference> references = new ArrayList<>();
        for (int i = 0; i < definitions.size(); i++) {
            if (definitions.get(i) instanceof FunctionDef function && function.code().isPath()) {
                SourceDocument document = documents.get(i);
                references.add(new CodeReference(i, function.name(), document.file(), function.code().path(),
                        document.map().valueAt(FIELD)));
            }
        }
        return references;
    }
}
