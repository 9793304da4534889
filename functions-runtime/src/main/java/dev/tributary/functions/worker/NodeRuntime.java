package dev.tributary.functions.worker;

import dev.tributary.functions.Execution;
import dev.tributary.functions.FunctionRuntime;
import dev.tributary.functions.Job;
import dev.tributary.functions.code.CodeLocator;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/**
 * The node runtime (SPEC §2.3): {@code exports.main} (async or not) or a Lambda-style
 * {@code exports.handler(event, context)} in warm worker processes that load the code once, with
 * spares for faster cold starts, scaling to zero. Workers run the real node binary with
 * {@code --max-old-space-size=<memory MB>}, only the child environment, and their own scratch
 * directory as cwd and HOME.
 */
public final class NodeRuntime implements FunctionRuntime, AutoCloseable {

    static final String BOOTSTRAP = "node/bootstrap.js";

    private final WarmWorkers workers;
    private final WorkerSocket socket;
    private final NodeStarter starter;

    public NodeRuntime(WorkerSettings settings, CodeLocator code, Clock clock) {
        this(settings, code, clock, BOOTSTRAP);
    }

    /** @param bootstrapResource the worker script, as a resource relative to this package */
    NodeRuntime(WorkerSettings settings, CodeLocator code, Clock clock, String bootstrapResource) {
        RuntimeDirectory directory = RuntimeDirectory.create(settings.runtimeDirectory());
        this.socket = WorkerSocket.open(directory.socket(), "node-worker");
        ScheduledThreadPoolExecutor scheduler = WarmWorkers.scheduler("node");
        ExecutableResolver node = new ExecutableResolver("node", settings.binary(), List.of("-p", "process.execPath"));
        this.starter = new NodeStarter(node, directory, directory.extract(bootstrapResource, "bootstrap.js"), socket,
                scheduler, settings.preStart());
        this.workers = new WarmWorkers("node", code, starter, scheduler, clock, settings.sweepEvery());
        node.resolveSoon(scheduler);
    }

    @Override
    public CompletableFuture<Execution> invoke(Job job) {
        return workers.invoke(job);
    }

    /** The live workers, how each started and where its scratch directory is. */
    public List<WorkerInfo> workers() {
        return workers.workers();
    }

    /** Stops every worker and spare; activations in flight fail. */
    @Override
    public void close() {
        workers.close();
        socket.close();
    }

    NodeStarter starter() {
        return starter;
    }
}
