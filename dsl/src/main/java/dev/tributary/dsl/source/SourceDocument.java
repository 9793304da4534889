package dev.tributary.dsl.source;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One document of a definition file (a YAML file may hold several, separated by {@code ---}):
 * its JSON tree and where each value stood.
 *
 * @param index position of the document in its file, from 0
 */
public record SourceDocument(String file, int index, JsonNode tree, SourceMap map) {
}
