package dev.tributary.engine.store;

import dev.tributary.functions.Activation;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The activations a node has recorded (SPEC §5 {@code /activations}, {@code /usage}, a run's
 * cost). Every method is safe to call from many threads and may block on the database (never
 * call it from an event loop or a shard thread). Instants and durations are read back to the
 * microsecond and nanosecond.
 */
public interface ActivationStore {

    /**
     * Stores {@code activations} in one transaction. An id that is stored already keeps its row,
     * so writing a batch again after an ambiguous failure stores each activation once.
     */
    void record(List<Activation> activations);

    Optional<Activation> activation(String id);

    /** Activations newest first (start time, then id), filtered; {@link ActivationQuery#cursor()} continues a previous page. */
    ActivationPage activations(ActivationQuery query);

    /** Per function, and in total: the activations that started in {@code [from, to)}, with their GB-seconds and cost. */
    Usage usage(Instant from, Instant to);

    /** Every activation of one run (its steps, every attempt); zero when there are none. */
    ActivationTotals runCost(String runId);
}
