package dev.tributary.functions.worker;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tributary.functions.FailureTypes;
import dev.tributary.functions.sandbox.ChildEnvironment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Starts node workers. Node cannot fork, so after a first cold start the starter keeps one spare
 * process per memory size (started without code, said hello, waiting): the next cold start of any
 * function of that size loads its code into the spare, saving the interpreter start, and a new
 * spare is started behind it. A spare stops once every function of its size has been idle past
 * its keep-warm.
 */
final class NodeStarter implements WorkerStarter {

    private final ExecutableResolver node;
    private final RuntimeDirectory directory;
    private final Path bootstrap;
    private final WorkerSocket socket;
    private final ScheduledExecutorService scheduler;
    private final boolean spares;
    private final Tokens tokens = new Tokens();
    /** Memory size → its spare, starting or ready. Guarded by this. */
    private final Map<Integer, WorkerStart> spareByMemory = new HashMap<>();
    private boolean closed;

    NodeStarter(ExecutableResolver node, RuntimeDirectory directory, Path bootstrap, WorkerSocket socket,
                ScheduledExecutorService scheduler, boolean spares) {
        this.node = node;
        this.directory = directory;
        this.bootstrap = bootstrap;
        this.socket = socket;
        this.scheduler = scheduler;
        this.spares = spares;
    }

    @Override
    public WorkerStart start(WorkerRequest request) {
        Worker spare = takeSpare(request.memoryMb());
        return spare != null ? load(spare, request) : fresh(request);
    }

    private WorkerStart fresh(WorkerRequest request) {
        WorkerStart start = newStart(request.functionName(), WorkerOrigin.FRESH);
        spawn(start, request.memoryMb(), request.env(), List.of("--code", request.code().directory().toString(),
                "--handler", request.handler(), "--module", request.module()));
        return start;
    }

    private WorkerStart load(Worker spare, WorkerRequest request) {
        WorkerStart start = new WorkerStart("node", request.functionName(), spare.token(), spare.files(), WorkerOrigin.SPARE);
        start.pidKnown(spare.pid());
        long asked = System.nanoTime();
        spare.request(WireMessages.load(request, ChildEnvironment.of(spare.files().scratch(), request.env()), spare.files()),
                (answer, error) -> {
                    if (error != null) { // the spare died before it took the code: start afresh instead
                        fresh(request).worker().whenComplete((worker, failure) -> {
                            if (failure != null) {
                                start.fail(failure);
                            } else {
                                start.ready(worker);
                            }
                        });
                    } else if (answer.path("loaded").asBoolean(false)) {
                        spare.loaded(java.time.Duration.ofNanos(System.nanoTime() - asked));
                        start.ready(spare);
                    } else {
                        spare.retire();
                        JsonNode error2 = answer.path("error");
                        start.fail(new WorkerStartFailure(WireMessages.failure(error2, "the node worker of function '"
                                + request.functionName() + "' could not load the code").type(),
                                error2.path("message").asText("the node worker could not load the code"), answer.path("logs").asText("")));
                    }
                });
        return start;
    }

    private synchronized Worker takeSpare(int memoryMb) {
        WorkerStart spare = spareByMemory.get(memoryMb);
        if (spare == null || !spare.worker().isDone() || spare.worker().isCompletedExceptionally()
                || spare.worker().join().isRetired()) {
            return null;
        }
        spareByMemory.remove(memoryMb);
        return spare.worker().join();
    }

    /** After a cold start: make sure the next cold start of this memory size finds a spare. */
    @Override
    public void workerReady(WorkerRequest request, Worker worker) {
        int memoryMb = request.memoryMb();
        WorkerStart spare;
        synchronized (this) {
            if (!spares || closed || spareByMemory.containsKey(memoryMb)) {
                return;
            }
            spare = newStart("(spare)", WorkerOrigin.SPARE);
            spareByMemory.put(memoryMb, spare);
        }
        spawn(spare, memoryMb, Map.of(), List.of());
        spare.worker().whenComplete((started, error) -> {
            if (error != null) {
                forget(memoryMb, spare);
            } else {
                started.whenLost(() -> {
                    forget(memoryMb, spare);
                    started.retire();
                });
            }
        });
    }

    private synchronized void forget(int memoryMb, WorkerStart spare) {
        spareByMemory.remove(memoryMb, spare);
    }

    private WorkerStart newStart(String functionName, WorkerOrigin origin) {
        String token = tokens.next();
        WorkerStart start = new WorkerStart("node", functionName, token, directory.filesFor(token), origin);
        socket.expect(token, start::connected);
        start.worker().whenComplete((worker, error) -> socket.forget(token));
        return start;
    }

    private void spawn(WorkerStart start, int memoryMb, Map<String, String> env, List<String> codeArguments) {
        try {
            List<String> command = new ArrayList<>(List.of(node.path().toString(), "--max-old-space-size=" + memoryMb,
                    bootstrap.toString(), "--socket", socket.path().toString(), "--token", start.token()));
            command.addAll(codeArguments);
            FreshProcess.spawnFor(start, command, env, Map.of(), scheduler);
        } catch (WorkerStartFailure failure) {
            start.fail(failure);
        }
    }

    @Override
    public void sweep(Map<PoolKey, PoolActivity> pools, long nowNanos) {
        List<WorkerStart> idle = new ArrayList<>();
        synchronized (this) {
            for (var it = spareByMemory.entrySet().iterator(); it.hasNext(); ) {
                var entry = it.next();
                int memoryMb = entry.getKey();
                boolean wanted = pools.values().stream()
                        .anyMatch(activity -> activity.memoryMb() == memoryMb && !activity.idleFor(nowNanos));
                if (!wanted && entry.getValue().worker().isDone()) {
                    it.remove();
                    idle.add(entry.getValue());
                }
            }
        }
        idle.forEach(NodeStarter::stop);
    }

    private static void stop(WorkerStart spare) {
        if (spare.worker().isCompletedExceptionally()) {
            return;
        }
        spare.worker().join().retire();
    }

    @Override
    public void close() {
        List<WorkerStart> all;
        synchronized (this) {
            closed = true;
            all = new ArrayList<>(spareByMemory.values());
            spareByMemory.clear();
        }
        for (WorkerStart spare : all) {
            spare.abort();
            stop(spare);
        }
    }

    /** Spares that are up, for tests. */
    synchronized long readySpares() {
        return spareByMemory.values().stream().filter(s -> s.worker().isDone() && !s.worker().isCompletedExceptionally()).count();
    }
}
