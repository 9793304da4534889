package dev.tributary.functions.api;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What a Java function implements. The class is loaded from the function's uploaded jar in a
 * class loader of its own and instantiated once per warm worker; {@link #handle} may be called
 * many times, one activation at a time per instance.
 */
@FunctionalInterface
public interface Handler {

    /**
     * Runs one activation.
     *
     * @param input   the activation's input JSON
     * @param context facts about this activation (names, idempotency key, remaining time)
     * @return the result JSON; {@code null} is returned to the caller as JSON null
     * @throws Exception any exception fails the activation; its simple class name becomes the
     *                   error type (so a workflow can catch it by name) and its message the error message
     */
    JsonNode handle(JsonNode input, Context context) throws Exception;
}
