package dev.tributary.functions.worker;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tributary.functions.FailureTypes;
import dev.tributary.functions.sandbox.ProcessGroups;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A worker on its way up: the process is being spawned or forked, then it connects and says
 * hello. Ends with a {@link Worker}, a {@link WorkerStartFailure}, or an abort (the activation that
 * wanted it timed out), which kills whatever was started.
 */
final class WorkerStart {

    /** How long a hello may trail the exit of its process (they travel on different connections). */
    private static final Duration HELLO_GRACE = Duration.ofMillis(300);

    private final String language;
    private final String functionName;
    private final String token;
    private final RuntimeDirectory.ProcessFiles files;
    private final long requestedNanos = System.nanoTime();
    private final CompletableFuture<Worker> worker = new CompletableFuture<>();
    private final CompletableFuture<ExitStatus> exit = new CompletableFuture<>();
    private volatile long pid = -1;
    private volatile WorkerOrigin origin;

    WorkerStart(String language, String functionName, String token, RuntimeDirectory.ProcessFiles files, WorkerOrigin origin) {
        this.language = language;
        this.functionName = functionName;
        this.token = token;
        this.files = files;
        this.origin = origin;
        worker.whenComplete((w, error) -> {
            if (error != null) {
                cleanUp();
            }
        });
    }

    String token() {
        return token;
    }

    RuntimeDirectory.ProcessFiles files() {
        return files;
    }

    CompletableFuture<Worker> worker() {
        return worker;
    }

    CompletableFuture<ExitStatus> exit() {
        return exit;
    }

    /** The start fell back to another way (e.g. a fresh interpreter when a fork failed). */
    void origin(WorkerOrigin origin) {
        this.origin = origin;
    }

    void pidKnown(long pid) {
        this.pid = pid;
        if (worker.isCompletedExceptionally()) {
            ProcessGroups.killGroup(pid);
        }
    }

    /**
     * The process ended. Before its hello that fails the start, unless the hello (say, a load error)
     * arrives within a short grace.
     */
    void exited(ExitStatus status, ScheduledExecutorService scheduler) {
        exit.complete(status);
        if (worker.isDone()) {
            return;
        }
        scheduler.schedule(() -> fail(new WorkerStartFailure(FailureTypes.FUNCTION_ERROR, "the " + language
                + " worker of function '" + functionName + "' exited before it was ready (" + status.describe() + ")"
                + tail(), "")), HELLO_GRACE.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The hello arrived: a worker, or the error that kept it from loading the code. */
    WorkerSocket.MessageListener connected(LineChannel channel, JsonNode hello) {
        long helloPid = hello.path("pid").asLong(pid);
        if (pid <= 0) {
            pid = helloPid;
        }
        if (!hello.path("ok").asBoolean(false)) {
            JsonNode error = hello.path("error");
            fail(new WorkerStartFailure(error.path("type").asText(FailureTypes.FUNCTION_ERROR),
                    error.path("message").asText("the " + language + " worker of function '" + functionName
                            + "' could not load the code"), hello.path("logs").asText("")));
            channel.close();
            return Listeners.NONE;
        }
        Worker started = new Worker(token, helloPid, origin, files, channel, exit, Duration.ofNanos(System.nanoTime() - requestedNanos));
        if (!worker.complete(started)) {
            started.retire();
        }
        return started;
    }

    /** An already connected process (a spare) became this start's worker. */
    void ready(Worker started) {
        if (!worker.complete(started)) {
            started.retire();
        }
    }

    void fail(Throwable failure) {
        worker.completeExceptionally(failure);
    }

    /** The activation no longer wants this worker: kill it if it is on its way. */
    void abort() {
        worker.completeExceptionally(new CancellationException("the activation that wanted this worker is over"));
    }

    private void cleanUp() {
        if (pid > 0) {
            ProcessGroups.killGroup(pid);
        }
        files.delete();
    }

    private String tail() {
        String tail = files.outputTail();
        return tail.isEmpty() ? "" : ": " + tail;
    }

    /** Listeners for connections that carry nothing after their hello. */
    static final class Listeners {
        static final WorkerSocket.MessageListener NONE = new WorkerSocket.MessageListener() {
            @Override
            public Runnable onMessage(JsonNode message) {
                return null;
            }

            @Override
            public void onClosed() {
            }
        };

        private Listeners() {
        }
    }
}
