package dev.tributary.engine.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A request the API refuses, as it will be answered: status, error code, message and details
 * (SPEC §5 error envelope). Carries no stack trace: it is an answer, not a bug.
 */
final class ApiError extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;
    private final transient List<JsonNode> details;
    private final boolean closeConnection;

    ApiError(int status, String code, String message, List<JsonNode> details, boolean closeConnection) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.details = List.copyOf(details);
        this.closeConnection = closeConnection;
    }

    ApiError(int status, String code, String message) {
        this(status, code, message, List.of(), false);
    }

    static ApiError badRequest(String message) {
        return new ApiError(400, "bad_request", message);
    }

    static ApiError badRequest(String message, List<JsonNode> details) {
        return new ApiError(400, "bad_request", message, details, false);
    }

    static ApiError unauthorized(String message) {
        return new ApiError(401, "unauthorized", message);
    }

    static ApiError notFound(String message) {
        return new ApiError(404, "not_found", message);
    }

    static ApiError unsupportedMediaType(String message) {
        return new ApiError(415, "unsupported_media_type", message);
    }

    /**
     * A body past the limit. The rest of it is never read, so the connection cannot carry another
     * request and is closed once the answer is out.
     */
    static ApiError bodyTooLarge(long limit) {
        return bodyTooLarge(limit, BodyReader.REQUEST_BODY);
    }

    /** @param name the limit as configured, e.g. "request body" or "deploy body" */
    static ApiError bodyTooLarge(long limit, String name) {
        return new ApiError(413, "limit_exceeded", "The request body is larger than the limit of " + limit
                + " bytes (" + name + " limit); send a smaller body or raise the limit", List.of(), true);
    }

    int status() {
        return status;
    }

    String code() {
        return code;
    }

    List<JsonNode> details() {
        return details;
    }

    boolean closeConnection() {
        return closeConnection;
    }
}
