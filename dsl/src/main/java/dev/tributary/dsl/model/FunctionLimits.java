package dev.tributary.dsl.model;

import java.time.Duration;

/**
 * How much a function may use. Memory is what metering charges for (GB-seconds) and is enforced
 * where the runtime can; concurrency bounds activations at once per node; after
 * {@code keepWarm} idle a warm worker stops, so an idle function costs nothing.
 */
public record FunctionLimits(int memoryMb, Duration timeout, int concurrency, Duration keepWarm) {

    public static final int DEFAULT_MEMORY_MB = 128;
    public static final int MIN_MEMORY_MB = 64;
    public static final int MAX_MEMORY_MB = 10_240;
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
    public static final Duration MAX_TIMEOUT = Duration.ofMinutes(15);
    public static final int DEFAULT_CONCURRENCY = 16;
    public static final int MAX_CONCURRENCY = 1000;
    public static final Duration DEFAULT_KEEP_WARM = Duration.ofMinutes(5);

    public static FunctionLimits defaults() {
        return new FunctionLimits(DEFAULT_MEMORY_MB, DEFAULT_TIMEOUT, DEFAULT_CONCURRENCY, DEFAULT_KEEP_WARM);
    }
}
