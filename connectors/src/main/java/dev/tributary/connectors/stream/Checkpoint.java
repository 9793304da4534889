package dev.tributary.connectors.stream;

/**
 * How far one consumer (a rule reading a stream) has got in one shard, and the batch it has
 * handed over but not yet seen served. The pending range is written before the batch is handed
 * over, so a consumer starting after a crash hands over exactly the same batch again.
 *
 * @param sequence the last record served (the consumer reads after it)
 * @param pending  the batch handed over and not yet served, or null
 */
public record Checkpoint(String consumer, String stream, int shard, long sequence, Pending pending) {

    public Checkpoint {
        if (pending != null && pending.from() <= sequence) {
            throw new IllegalArgumentException("Expected a pending batch after checkpoint " + sequence + " of " + consumer
                    + " on " + stream + "/" + shard + ", but it starts at " + pending.from());
        }
    }

    /** Moved past {@code to}, nothing pending. */
    public Checkpoint servedUpTo(long to) {
        return new Checkpoint(consumer, stream, shard, to, null);
    }

    public Checkpoint withPending(Pending next) {
        return new Checkpoint(consumer, stream, shard, sequence, next);
    }

    /**
     * Records {@code from..to} (inclusive), handed over for the {@code attempt}-th time (from 1).
     */
    public record Pending(long from, long to, int attempt) {

        public Pending {
            if (from < 1 || to < from || attempt < 1) {
                throw new IllegalArgumentException("Expected a pending batch from <= to with attempt >= 1, but got " + from + ".." + to
                        + " attempt " + attempt);
            }
        }

        public int size() {
            return (int) (to - from + 1);
        }
    }
}
