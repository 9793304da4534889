package dev.tributary.engine.node;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A request the engine refuses, with a code the API maps to a status and error envelope
 * (SPEC §5). The message names the operation, the thing and why; never a stack trace.
 */
public final class EngineException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public enum Code {
        /** 400 invalid_definition: details are {file, line, column, path, message}. */
        INVALID_DEFINITION,
        /** 400 bad_request. */
        BAD_REQUEST,
        /** 404 not_found. */
        NOT_FOUND,
        /** 409 conflict. */
        CONFLICT,
        /** 413 / 422 limit_exceeded. */
        LIMIT_EXCEEDED,
        /** 422 input_invalid: details are JSON Schema errors. */
        INPUT_INVALID,
        /** 503 unavailable. */
        UNAVAILABLE
    }

    private final Code code;
    private final transient List<JsonNode> details;

    public EngineException(Code code, String message) {
        this(code, message, List.of());
    }

    public EngineException(Code code, String message, List<JsonNode> details) {
        super(message, null, false, false);
        this.code = code;
        this.details = List.copyOf(details);
    }

    public Code code() {
        return code;
    }

    public List<JsonNode> details() {
        return details;
    }
}
