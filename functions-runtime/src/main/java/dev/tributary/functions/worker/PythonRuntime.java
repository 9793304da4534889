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
 * The python runtime (SPEC §2.3): {@code main(args)} or {@code handler(event, context)} in warm
 * worker processes that import the module once, fork from zygotes for fast cold starts and scale
 * to zero. Workers run with {@code -I -S} (isolated, no site processing: the site-packages
 * directories are put on {@code sys.path} without running {@code .pth} files), only the child
 * environment, their own scratch directory as cwd and HOME, and an address-space limit of the
 * function's memory plus {@link PythonStarter#ADDRESS_SPACE_ALLOWANCE_MB}.
 */
public final class PythonRuntime implements FunctionRuntime, AutoCloseable {

    private final WarmWorkers workers;
    private final WorkerSocket socket;
    private final PythonStarter starter;

    public PythonRuntime(WorkerSettings settings, CodeLocator code, Clock clock) {
        RuntimeDirectory directory = RuntimeDirectory.create(settings.runtimeDirectory());
        this.socket = WorkerSocket.open(directory.socket(), "python-worker");
        ScheduledThreadPoolExecutor scheduler = WarmWorkers.scheduler("python");
        ExecutableResolver python = new ExecutableResolver("python", settings.binary(),
                List.of("-c", "import sys; print(sys.executable)"));
        this.starter = new PythonStarter(python, directory, socket, scheduler, settings.preStart());
        this.workers = new WarmWorkers("python", code, starter, scheduler, clock, settings.sweepEvery());
        python.resolveSoon(scheduler);
    }

    @Override
    public CompletableFuture<Execution> invoke(Job job) {
        return workers.invoke(job);
    }

    /** The live workers, how each started and where its scratch directory is. */
    public List<WorkerInfo> workers() {
        return workers.workers();
    }

    /** Stops every worker and zygote; activations in flight fail. */
    @Override
    public void close() {
        workers.close();
        socket.close();
    }

    PythonStarter starter() {
        return starter;
    }
}
