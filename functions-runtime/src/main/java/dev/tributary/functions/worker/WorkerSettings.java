package dev.tributary.functions.worker;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How a python or node runtime runs its workers.
 *
 * @param runtimeDirectory private directory (made mode 0700) for the worker socket, the bootstrap script
 *                         and the workers' scratch directories, e.g. {@code <data-dir>/runtime/python};
 *                         keep it short: the socket path must fit in 107 bytes
 * @param binary           the interpreter: a name looked up on PATH ({@code python3}, {@code node}) or an
 *                         absolute path; the real executable behind it is resolved once
 * @param preStart         python: fork workers from zygotes; node: keep a spare process per memory size.
 *                         Off: every cold start runs a fresh interpreter
 * @param sweepEvery       how often idle workers and helpers are checked against their keep-warm
 */
public record WorkerSettings(Path runtimeDirectory, String binary, boolean preStart, Duration sweepEvery) {

    public static final Duration DEFAULT_SWEEP = Duration.ofMillis(250);

    public WorkerSettings {
        if (sweepEvery.isNegative() || sweepEvery.isZero()) {
            throw new IllegalArgumentException("Expected a positive sweep interval, but got " + sweepEvery);
        }
    }

    public static WorkerSettings python(Path runtimeDirectory) {
        return new WorkerSettings(runtimeDirectory, "python3", true, DEFAULT_SWEEP);
    }

    public static WorkerSettings node(Path runtimeDirectory) {
        return new WorkerSettings(runtimeDirectory, "node", true, DEFAULT_SWEEP);
    }

    public WorkerSettings withBinary(String binary) {
        return new WorkerSettings(runtimeDirectory, binary, preStart, sweepEvery);
    }

    public WorkerSettings withPreStart(boolean preStart) {
        return new WorkerSettings(runtimeDirectory, binary, preStart, sweepEvery);
    }
}
