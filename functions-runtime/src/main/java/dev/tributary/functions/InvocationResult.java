package dev.tributary.functions;

import com.fasterxml.jackson.databind.JsonNode;

/** How an activation ended. */
public sealed interface InvocationResult {

    record Success(JsonNode result) implements InvocationResult {
    }

    /** {@code type} is the workflow error type (an exception's class name, or a built-in type such as Timeout). */
    record Failure(String type, String message) implements InvocationResult {
    }
}
