package dev.tributary.engine.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * A failure as workflows see it: {@code {type, message, step, attempt}} (SPEC §2.4). {@code step}
 * and {@code attempt} are filled in where the error is raised; 0 attempts means "not a call".
 */
public record ErrorInfo(String type, String message, String step, int attempt) {

    public static final String TIMEOUT = "Timeout";
    public static final String FUNCTION_ERROR = "FunctionError";
    public static final String FUNCTION_NOT_FOUND = "FunctionNotFound";
    public static final String INPUT_INVALID = "InputInvalid";
    public static final String CANCELLED = "Cancelled";
    public static final String LIMIT_EXCEEDED = "LimitExceeded";
    public static final String CHILD_FAILED = "ChildFailed";
    public static final String UNAVAILABLE = "Unavailable";

    public ErrorInfo {
        Objects.requireNonNull(type, "type");
        message = message == null ? "" : message;
    }

    public static ErrorInfo of(String type, String message) {
        return new ErrorInfo(type, message, null, 0);
    }

    public ErrorInfo at(String step, int attempt) {
        return new ErrorInfo(type, message, step, attempt);
    }

    public ObjectNode toJson() {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("type", type);
        node.put("message", message);
        if (step != null) {
            node.put("step", step);
        }
        if (attempt > 0) {
            node.put("attempt", attempt);
        }
        return node;
    }

    public static ErrorInfo fromJson(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        return new ErrorInfo(node.path("type").asText(), node.path("message").asText(),
                node.hasNonNull("step") ? node.get("step").asText() : null, node.path("attempt").asInt(0));
    }
}
