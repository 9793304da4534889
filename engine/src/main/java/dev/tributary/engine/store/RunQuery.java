package dev.tributary.engine.store;

import dev.tributary.engine.core.RunStatus;

/**
 * A filter over runs, newest first: any of workflow and status may be null. {@code cursor} is the
 * opaque value a previous {@link RunPage} returned, or null for the first page.
 */
public record RunQuery(String workflow, RunStatus status, int limit, String cursor) {
}
