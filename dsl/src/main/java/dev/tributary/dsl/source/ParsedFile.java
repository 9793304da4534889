package dev.tributary.dsl.source;

import java.util.List;

/** The documents read from one file, and what stopped any part of it from being read. */
public record ParsedFile(List<SourceDocument> documents, List<Problem> problems) {

    public ParsedFile {
        documents = List.copyOf(documents);
        problems = List.copyOf(problems);
    }
}
