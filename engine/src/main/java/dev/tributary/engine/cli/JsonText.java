package dev.tributary.engine.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.UncheckedIOException;

/** How the CLI shows JSON values to people: indented in full, or on one line, cut short. */
final class JsonText {

    /** Reads decimals exactly, so a printed result shows the digits the server sent. */
    static final ObjectMapper MAPPER = JsonMapper.builder().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();

    private JsonText() {
    }

    static String pretty(JsonNode node) {
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One line of at most {@code max} characters; "-" for null or absent. */
    static String oneLine(JsonNode node, int max) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return "-";
        }
        String text = node.isTextual() ? node.asText() : node.toString();
        return text.length() <= max ? text : text.substring(0, Math.max(0, max - 3)) + "...";
    }

    /** A text field, or "-" when it is null or absent. */
    static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isNull() || value.isMissingNode() ? "-" : value.asText();
    }
}
