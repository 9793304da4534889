package dev.tributary.engine.store;

import dev.tributary.functions.Activation;

/**
 * A filter over activations, newest first: any of function, run and status may be null.
 * {@code cursor} is the opaque value a previous {@link ActivationPage} returned, or null for the
 * first page.
 */
public record ActivationQuery(String function, String runId, Activation.Status status, int limit, String cursor) {

    public static ActivationQuery newest(int limit) {
        return new ActivationQuery(null, null, null, limit, null);
    }
}
