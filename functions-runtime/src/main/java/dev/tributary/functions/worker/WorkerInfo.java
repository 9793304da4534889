package dev.tributary.functions.worker;

import java.nio.file.Path;
import java.time.Duration;

/**
 * A snapshot of one live worker, for operators and tests.
 *
 * @param startTook from asking for the worker to its hello (its code loaded)
 */
public record WorkerInfo(String function, int version, long pid, WorkerOrigin origin, Path scratch, Duration startTook) {
}
