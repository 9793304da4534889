package dev.tributary.engine.node;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The node's one JSON mapper, for the documents and payloads it stores as text. */
final class Json {

    static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }

    static JsonNode parse(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Expected stored JSON text, but " + e.getOriginalMessage(), e);
        }
    }

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /** Compact UTF-8 size of a value, for the limits of SPEC §4. */
    static int bytes(JsonNode value) {
        try {
            return value == null ? 0 : MAPPER.writeValueAsBytes(value).length;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
