package dev.tributary.engine.bench;

import java.util.Arrays;

/** Latency samples in nanoseconds, kept whole (a bench run holds at most a few hundred thousand) and sorted once to read percentiles. */
final class Latencies {

    private long[] samples = new long[1024];
    private int count;

    synchronized void add(long nanos) {
        if (count == samples.length) {
            samples = Arrays.copyOf(samples, count * 2);
        }
        samples[count++] = nanos;
    }

    synchronized int count() {
        return count;
    }

    /** The p-th percentile (0 < p ≤ 100) in milliseconds; 0 with no samples. */
    synchronized double percentileMillis(double p) {
        if (count == 0) {
            return 0;
        }
        long[] sorted = Arrays.copyOf(samples, count);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * count) - 1;
        return sorted[Math.max(0, Math.min(count - 1, rank))] / 1_000_000.0;
    }
}
