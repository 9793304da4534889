package dev.tributary.functions.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.functions.FailureTypes;
import dev.tributary.functions.sandbox.ChildEnvironment;
import dev.tributary.functions.sandbox.ProcessGroups;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Starts python workers the SOCK way: fork from the function's zygote (its module imported
 * already) if there is one, else from the runtime zygote (bootstrap loaded), else a fresh
 * interpreter. After a function's first worker is up, a function zygote is forked for it. Zygotes
 * scale to zero: a function zygote stops once its function has had no worker for its keep-warm,
 * the runtime zygote once no function has a worker or a zygote left.
 */
final class PythonStarter implements WorkerStarter {

    /**
     * Address space (RLIMIT_AS) a worker may map beyond its function's memory, so that a memory hog
     * gets MemoryError past {@code memory MB + this} while ordinary code fits. Measured with python
     * 3.11: 13 MB mapped after the bootstrap of a fresh worker, 19 MB in one forked from the zygote
     * (pre-imported modules); a second malloc arena for threads reserves 64 MB (arenas are capped
     * at two by {@code MALLOC_ARENA_MAX}, else each thread could reserve its own) and each thread
     * stack 8 MB: four threads took a worker to 110 MB, eight to ~150 MB (with 128 MB a handler
     * using eight threads and most of its memory failed one run in three).
     */
    static final int ADDRESS_SPACE_ALLOWANCE_MB = 256;
    /** For the interpreter's start only; the bootstrap removes it before user code runs (see above). */
    static final Map<String, String> START_ONLY_ENV = Map.of("MALLOC_ARENA_MAX", "2");
    private static final Duration ZYGOTE_START_LIMIT = Duration.ofSeconds(10);
    /** A function zygote imports the user's module, which may hang; past this the function does without one. */
    private static final Duration FUNCTION_ZYGOTE_START_LIMIT = Duration.ofSeconds(30);

    private final ExecutableResolver python;
    private final RuntimeDirectory directory;
    private final Path bootstrap;
    private final WorkerSocket socket;
    private final ScheduledExecutorService scheduler;
    private final Tokens tokens = new Tokens();

    /** Guarded by this. */
    private boolean forkUsable;
    private CompletableFuture<Zygote> runtimeZygote;
    private final Map<PoolKey, FunctionZygote> functionZygotes = new HashMap<>();
    private final Set<PoolKey> notForkable = new HashSet<>();

    /** A function zygote, from the fork request to its stop; {@code zygote} is set once it said hello. */
    private static final class FunctionZygote {
        volatile Zygote zygote;
    }

    PythonStarter(ExecutableResolver python, RuntimeDirectory directory, WorkerSocket socket,
                  ScheduledExecutorService scheduler, boolean zygotes) {
        this.python = python;
        this.directory = directory;
        this.bootstrap = directory.extract("python/bootstrap.py", "bootstrap.py");
        this.socket = socket;
        this.scheduler = scheduler;
        this.forkUsable = zygotes;
    }

    @Override
    public WorkerStart start(WorkerRequest request) {
        String token = tokens.next();
        WorkerStart start = new WorkerStart("python", request.functionName(), token, directory.filesFor(token), WorkerOrigin.FRESH);
        socket.expect(token, start::connected);
        start.worker().whenComplete((worker, error) -> socket.forget(token));
        Zygote functionZygote = null;
        CompletableFuture<Zygote> viaRuntime = null;
        synchronized (this) {
            FunctionZygote known = functionZygotes.get(request.key());
            if (known != null && known.zygote != null && !known.zygote.isGone()) {
                functionZygote = known.zygote;
            } else if (forkUsable) {
                viaRuntime = runtimeZygote();
            }
        }
        if (functionZygote != null) {
            forkFrom(functionZygote, WorkerOrigin.FUNCTION_ZYGOTE, request, start);
        } else if (viaRuntime != null) {
            viaRuntime.whenComplete((zygote, error) -> {
                if (error != null) {
                    fresh(request, start);
                } else {
                    forkFrom(zygote, WorkerOrigin.RUNTIME_ZYGOTE, request, start);
                }
            });
        } else {
            fresh(request, start);
        }
        return start;
    }

    private void forkFrom(Zygote zygote, WorkerOrigin origin, WorkerRequest request, WorkerStart start) {
        start.origin(origin);
        ObjectNode spec = spec(request, start.token(), start.files(), ChildEnvironment.of(start.files().scratch(), request.env()));
        zygote.fork("fork", spec, status -> start.exited(status, scheduler)).whenComplete((pid, error) -> {
            if (error == null) {
                start.pidKnown(pid);
            } else if (origin == WorkerOrigin.FUNCTION_ZYGOTE) {
                retryViaRuntimeZygote(request, start);
            } else {
                fresh(request, start);
            }
        });
    }

    private void retryViaRuntimeZygote(WorkerRequest request, WorkerStart start) {
        CompletableFuture<Zygote> viaRuntime;
        synchronized (this) {
            viaRuntime = forkUsable ? runtimeZygote() : null;
        }
        if (viaRuntime == null) {
            fresh(request, start);
            return;
        }
        viaRuntime.whenComplete((zygote, error) -> {
            if (error != null) {
                fresh(request, start);
            } else {
                forkFrom(zygote, WorkerOrigin.RUNTIME_ZYGOTE, request, start);
            }
        });
    }

    private void fresh(WorkerRequest request, WorkerStart start) {
        start.origin(WorkerOrigin.FRESH);
        try {
            FreshProcess.spawnFor(start, List.of(python.path().toString(), "-I", "-S", bootstrap.toString(),
                    "--socket", socket.path().toString(), "--token", start.token(),
                    "--code", request.code().directory().toString(), "--handler", request.handler(),
                    "--module", request.module(), "--memory-bytes", Long.toString(memoryBytes(request))), request.env(),
                    START_ONLY_ENV, scheduler);
        } catch (WorkerStartFailure failure) {
            start.fail(failure);
        }
    }

    /** Guarded: the runtime zygote, started if there is none. */
    private CompletableFuture<Zygote> runtimeZygote() {
        if (runtimeZygote != null && !runtimeZygote.isCompletedExceptionally()
                && !(runtimeZygote.isDone() && runtimeZygote.join().isGone())) {
            return runtimeZygote;
        }
        String token = tokens.next();
        RuntimeDirectory.ProcessFiles files = directory.filesFor(token);
        CompletableFuture<Zygote> started = new CompletableFuture<>();
        socket.expect(token, (channel, hello) -> {
            if (!hello.path("ok").asBoolean(false)) {
                started.completeExceptionally(new WorkerStartFailure(FailureTypes.UNAVAILABLE, "the python zygote failed to start", ""));
                return WorkerStart.Listeners.NONE;
            }
            Zygote zygote = new Zygote(hello.path("pid").asLong(), channel, files);
            if (!started.complete(zygote)) {
                zygote.stop();
            }
            return zygote;
        });
        try {
            Process process = FreshProcess.spawn(List.of(python.path().toString(), "-I", "-S", bootstrap.toString(),
                    "--zygote", "--socket", socket.path().toString(), "--token", token), files, Map.of(), START_ONLY_ENV);
            process.onExit().thenRun(() -> started.completeExceptionally(new WorkerStartFailure(FailureTypes.UNAVAILABLE,
                    "the python zygote exited before it was ready: " + files.outputTail(), "")));
            scheduler.schedule(() -> started.completeExceptionally(new WorkerStartFailure(FailureTypes.UNAVAILABLE,
                    "the python zygote did not connect within " + ZYGOTE_START_LIMIT, "")), ZYGOTE_START_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (WorkerStartFailure failure) {
            started.completeExceptionally(failure);
        }
        started.whenComplete((zygote, error) -> {
            socket.forget(token);
            if (error != null) {
                files.delete();
                synchronized (this) {
                    forkUsable = false; // forking does not work here: every start spawns a fresh interpreter
                }
            }
        });
        runtimeZygote = started;
        return started;
    }

    /** After a function's first worker is up: fork a function zygote with its module imported, for faster cold starts. */
    @Override
    public void workerReady(WorkerRequest request, Worker worker) {
        if (worker.origin() == WorkerOrigin.FUNCTION_ZYGOTE) {
            return;
        }
        Zygote parent;
        FunctionZygote slot = new FunctionZygote();
        synchronized (this) {
            if (!forkUsable || functionZygotes.containsKey(request.key()) || notForkable.contains(request.key())
                    || runtimeZygote == null || !runtimeZygote.isDone() || runtimeZygote.isCompletedExceptionally()) {
                return;
            }
            parent = runtimeZygote.join();
            functionZygotes.put(request.key(), slot);
        }
        String token = tokens.next();
        RuntimeDirectory.ProcessFiles files = directory.filesFor(token);
        socket.expect(token, (channel, hello) -> functionZygoteConnected(request.key(), slot, files, channel, hello));
        ObjectNode spec = spec(request, token, files, ChildEnvironment.of(files.scratch(), request.env()));
        CompletableFuture<Long> forked = parent.fork("zygote", spec, status -> functionZygoteGone(request.key(), slot));
        forked.whenComplete((pid, error) -> {
            if (error != null) {
                socket.forget(token);
                files.delete();
                functionZygoteGone(request.key(), slot);
            }
        });
        scheduler.schedule(() -> {
            if (slot.zygote == null) {
                socket.forget(token);
                forked.thenAccept(ProcessGroups::killGroup);
                files.delete();
                synchronized (this) {
                    notForkable.add(request.key());
                    functionZygotes.remove(request.key(), slot);
                }
            }
        }, FUNCTION_ZYGOTE_START_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    private WorkerSocket.MessageListener functionZygoteConnected(PoolKey key, FunctionZygote slot,
                                                                 RuntimeDirectory.ProcessFiles files,
                                                                 LineChannel channel, JsonNode hello) {
        if (!hello.path("ok").asBoolean(false)) {
            synchronized (this) {
                notForkable.add(key);
                functionZygotes.remove(key, slot);
            }
            files.delete();
            return WorkerStart.Listeners.NONE;
        }
        Zygote zygote = new Zygote(hello.path("pid").asLong(), channel, files);
        slot.zygote = zygote;
        zygote.closed().thenRun(() -> functionZygoteGone(key, slot));
        return zygote;
    }

    private void functionZygoteGone(PoolKey key, FunctionZygote slot) {
        synchronized (this) {
            functionZygotes.remove(key, slot);
        }
    }

    @Override
    public void sweep(Map<PoolKey, PoolActivity> pools, long nowNanos) {
        List<Zygote> idle = new ArrayList<>();
        synchronized (this) {
            for (var it = functionZygotes.entrySet().iterator(); it.hasNext(); ) {
                var entry = it.next();
                Zygote zygote = entry.getValue().zygote;
                PoolActivity activity = pools.get(entry.getKey());
                if (zygote != null && !zygote.isForking() && (activity == null || activity.idleFor(nowNanos))) {
                    it.remove();
                    idle.add(zygote);
                }
            }
            boolean anyWorker = pools.values().stream().anyMatch(activity -> activity.liveWorkers() > 0);
            if (!anyWorker && functionZygotes.isEmpty() && runtimeZygote != null && runtimeZygote.isDone()
                    && !runtimeZygote.isCompletedExceptionally() && !runtimeZygote.join().isForking()) {
                idle.add(runtimeZygote.join());
                runtimeZygote = null;
            }
        }
        idle.forEach(Zygote::stop);
    }

    @Override
    public void close() {
        List<Zygote> all = new ArrayList<>();
        synchronized (this) {
            functionZygotes.values().stream().map(slot -> slot.zygote).filter(z -> z != null).forEach(all::add);
            functionZygotes.clear();
            if (runtimeZygote != null && runtimeZygote.isDone() && !runtimeZygote.isCompletedExceptionally()) {
                all.add(runtimeZygote.join());
            }
            runtimeZygote = null;
            forkUsable = false;
        }
        all.forEach(Zygote::stop);
    }

    /** Function zygotes that are up and serving forks. */
    synchronized long functionZygotes() {
        return functionZygotes.values().stream().filter(slot -> slot.zygote != null && !slot.zygote.isGone()).count();
    }

    /** Whether a fork will be tried (false once a zygote could not start, or when zygotes are off). */
    synchronized boolean forkUsable() {
        return forkUsable;
    }

    private ObjectNode spec(WorkerRequest request, String token, RuntimeDirectory.ProcessFiles files, Map<String, String> env) {
        ObjectNode spec = LineChannel.JSON.createObjectNode();
        spec.put("token", token);
        spec.put("scratch", files.scratch().toString());
        spec.put("log", files.output().toString());
        ObjectNode environment = spec.putObject("env");
        env.forEach(environment::put);
        spec.put("code", request.code().directory().toString());
        spec.put("handler", request.handler());
        spec.put("module", request.module());
        spec.put("memory_bytes", memoryBytes(request));
        return spec;
    }

    static long memoryBytes(WorkerRequest request) {
        return ((long) request.memoryMb() + ADDRESS_SPACE_ALLOWANCE_MB) << 20;
    }
}
