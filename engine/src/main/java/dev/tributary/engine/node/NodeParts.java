package dev.tributary.engine.node;

import dev.tributary.engine.store.RunStore;
import dev.tributary.functions.FunctionInvoker;
import java.time.Clock;

/** The parts of a node that most of its services share, built once by {@link Node}. */
record NodeParts(RunStore store, Clock clock, Definitions definitions, RunDriver driver, FunctionInvoker functions,
                 InputSchemas schemas, RunWatchers watchers, EngineMetrics metrics, ActivationSink activations, RunIds ids) {
}
