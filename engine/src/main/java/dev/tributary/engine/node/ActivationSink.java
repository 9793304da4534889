package dev.tributary.engine.node;

import dev.tributary.functions.Activation;

/**
 * Where a node hands every activation once it has ended, to be stored for {@code GET /activations},
 * {@code GET /usage} and a run's cost. Must not block: callers are shard and dispatch threads.
 */
@FunctionalInterface
public interface ActivationSink {

    void record(Activation activation);
}
