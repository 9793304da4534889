package dev.tributary.engine.store;

import java.util.List;

/** One page of runs; {@code cursor} continues after the last one, null when there are no more. */
public record RunPage(List<RunRecord> runs, String cursor) {
}
