package dev.tributary.connectors.functions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Reads a connector function's input, refusing what is missing or of the wrong kind with an
 * {@link Invalid} that names the field and the function (an {@code InputInvalid} failure).
 */
public final class ConnectorInput {

    /** The input does not fit the function: answered as {@code InputInvalid}. */
    public static final class Invalid extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public Invalid(String message) {
            super(message, null, false, false);
        }
    }

    private final String function;
    private final ObjectNode input;

    public ConnectorInput(String function, JsonNode input) {
        this.function = function;
        if (!(input instanceof ObjectNode object)) {
            throw new Invalid("Expected the input of " + function + " to be a JSON object, but it is "
                    + (input == null ? "missing" : kind(input)));
        }
        this.input = object;
    }

    public String text(String field) {
        return text(input, field, field);
    }

    /** The field as text, or null when it is absent or null. */
    public String optionalText(String field) {
        JsonNode value = input.get(field);
        return value == null || value.isNull() ? null : text(field);
    }

    public ObjectNode object(String field) {
        JsonNode value = required(input, field, field);
        if (!value.isObject()) {
            throw wrongKind(field, "a JSON object", value);
        }
        return (ObjectNode) value;
    }

    /** The field as it is (any JSON, null included); refused only when absent. */
    public JsonNode any(String field) {
        return required(input, field, field);
    }

    /** The field as it is, or null when absent. */
    public JsonNode optional(String field) {
        JsonNode value = input.get(field);
        return value == null || value.isNull() ? null : value;
    }

    /** A whole number from {@code min} to {@code max}, or {@code otherwise} when absent. */
    public int optionalInt(String field, int min, int max, int otherwise) {
        JsonNode value = input.get(field);
        if (value == null || value.isNull()) {
            return otherwise;
        }
        if (!value.canConvertToExactIntegral() || !value.canConvertToInt() || value.asInt() < min || value.asInt() > max) {
            throw new Invalid("Expected '" + field + "' in the input of " + function + " to be a whole number from " + min + " to "
                    + max + ", but it is " + value);
        }
        return value.asInt();
    }

    /** A text field of a nested object, named by its path ({@code item.PartitionKey}) in messages. */
    public String text(ObjectNode parent, String field, String path) {
        JsonNode value = required(parent, field, path);
        if (!value.isTextual()) {
            throw wrongKind(path, "a string", value);
        }
        return value.asText();
    }

    private JsonNode required(JsonNode parent, String field, String path) {
        JsonNode value = parent.get(field);
        if (value == null) {
            throw new Invalid("Expected '" + path + "' in the input of " + function + ", but it is missing");
        }
        return value;
    }

    public Invalid wrongKind(String path, String expected, JsonNode value) {
        return new Invalid("Expected '" + path + "' in the input of " + function + " to be " + expected + ", but it is "
                + kind(value));
    }

    /** A value as a refusal names it: {@code missing}, {@code null}, or its kind with the start of its JSON. */
    public static String describe(JsonNode value) {
        if (value == null) {
            return "missing";
        }
        String text = value.toString();
        return value.isNull() ? "null" : "a " + value.getNodeType().name().toLowerCase(java.util.Locale.ROOT) + " ("
                + (text.length() <= 40 ? text : text.substring(0, 40) + "...") + ")";
    }

    private static String kind(JsonNode value) {
        return switch (value.getNodeType()) {
            case OBJECT -> "an object";
            case ARRAY -> "an array";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            default -> value.getNodeType().toString().toLowerCase();
        };
    }
}
