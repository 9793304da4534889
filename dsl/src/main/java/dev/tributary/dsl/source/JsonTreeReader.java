package dev.tributary.dsl.source;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * JSON to trees with locations, in one streaming pass. A top-level array is a list of
 * documents, so one JSON file can hold a whole deploy set.
 */
final class JsonTreeReader {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final String file;
    private final ParseLimits limits;
    private final JsonFactory factory;

    JsonTreeReader(String file, ParseLimits limits) {
        this.file = file;
        this.limits = limits;
        this.factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(limits.maxDepth())
                        .maxDocumentLength(limits.maxBytes())
                        .build())
                .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
    }

    ParsedFile read(String text) {
        try (JsonParser parser = factory.createParser(text)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                return new ParsedFile(List.of(), List.of());
            }
            List<SourceDocument> documents = new ArrayList<>();
            if (first == JsonToken.START_ARRAY) {
                int index = 0;
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    SourceMap map = new SourceMap(file);
                    documents.add(new SourceDocument(file, index++, value(parser, "", map), map));
                }
            } else {
                SourceMap map = new SourceMap(file);
                documents.add(new SourceDocument(file, 0, value(parser, "", map), map));
            }
            if (parser.nextToken() != null) {
                return failure(parser.currentTokenLocation(), "unexpected content after the end of the JSON document");
            }
            return new ParsedFile(documents, List.of());
        } catch (StreamConstraintsException e) {
            String m = e.getOriginalMessage();
            String limit = m.contains("depth") ? "nesting deeper than " + limits.maxDepth() + " levels (limit 'nesting depth')"
                    : "the file is over the limit 'definition size' of " + limits.maxBytes() + " bytes";
            return failure(e.getLocation(), limit);
        } catch (JsonProcessingException e) {
            return failure(e.getLocation(), "JSON syntax: " + e.getOriginalMessage());
        } catch (IOException e) {
            return failure(null, "JSON: " + e.getMessage());
        }
    }

    private JsonNode value(JsonParser parser, String path, SourceMap map) throws IOException {
        SourceLocation start = at(parser.currentTokenLocation());
        // A string's text begins past its opening quote, so offsets into it line up.
        map.putValue(path, parser.currentToken() == JsonToken.VALUE_STRING ? start.shiftedBy(1) : start);
        switch (parser.currentToken()) {
            case START_OBJECT -> {
                ObjectNode object = JSON.objectNode();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String key = parser.currentName();
                    String child = Paths.field(path, key);
                    map.putKey(child, at(parser.currentTokenLocation()));
                    parser.nextToken();
                    object.set(key, value(parser, child, map));
                }
                return object;
            }
            case START_ARRAY -> {
                ArrayNode array = JSON.arrayNode();
                int i = 0;
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    array.add(value(parser, Paths.index(path, i++), map));
                }
                return array;
            }
            case VALUE_STRING -> {
                return JSON.textNode(parser.getText());
            }
            case VALUE_NUMBER_INT -> {
                return switch (parser.getNumberType()) {
                    case INT -> JSON.numberNode(parser.getIntValue());
                    case LONG -> JSON.numberNode(parser.getLongValue());
                    default -> JSON.numberNode(parser.getBigIntegerValue());
                };
            }
            case VALUE_NUMBER_FLOAT -> {
                return JSON.numberNode(parser.getDecimalValue());
            }
            case VALUE_TRUE -> {
                return JSON.booleanNode(true);
            }
            case VALUE_FALSE -> {
                return JSON.booleanNode(false);
            }
            default -> {
                return JSON.nullNode();
            }
        }
    }

    private ParsedFile failure(JsonLocation location, String message) {
        return new ParsedFile(List.of(), List.of(new Problem(at(location), "", message)));
    }

    private SourceLocation at(JsonLocation location) {
        if (location == null || location.getLineNr() < 1) {
            return SourceLocation.startOf(file);
        }
        return new SourceLocation(file, location.getLineNr(), Math.max(1, location.getColumnNr()));
    }
}
