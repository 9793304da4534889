package dev.tributary.functions.worker;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tributary.functions.sandbox.ProcessGroups;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;

/**
 * A connected worker process: one request (invoke, or load for a spare) at a time, answered on the
 * thread that read the answer. The process leads its own process group, so {@link #retire()} takes any
 * grandchildren with it.
 */
final class Worker implements WorkerSocket.MessageListener {

    /** Thrown into a pending request when the connection ends before the answer. */
    static final class Gone extends IOException {
        private static final long serialVersionUID = 1L;

        Gone() {
            super("the worker's connection closed");
        }
    }

    private final String token;
    private final long pid;
    private final WorkerOrigin origin;
    private final RuntimeDirectory.ProcessFiles files;
    private final LineChannel channel;
    private final CompletableFuture<ExitStatus> exit;
    private volatile Duration startTook;
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private final AtomicBoolean retired = new AtomicBoolean();
    private volatile CompletableFuture<JsonNode> reply;
    private volatile Runnable whenLost = () -> { };
    /** Guarded by the owning pool. */
    long idleSinceNanos;

    Worker(String token, long pid, WorkerOrigin origin, RuntimeDirectory.ProcessFiles files, LineChannel channel,
           CompletableFuture<ExitStatus> exit, Duration startTook) {
        this.token = token;
        this.pid = pid;
        this.origin = origin;
        this.files = files;
        this.channel = channel;
        this.exit = exit;
        this.startTook = startTook;
    }

    long pid() {
        return pid;
    }

    String token() {
        return token;
    }

    WorkerOrigin origin() {
        return origin;
    }

    RuntimeDirectory.ProcessFiles files() {
        return files;
    }

    /** From asking for this worker to its hello; for a spare, to the code being loaded into it. */
    Duration startTook() {
        return startTook;
    }

    /** A spare loaded a function's code: its start, for that function, took {@code took}. */
    void loaded(Duration took) {
        this.startTook = took;
    }

    CompletableFuture<ExitStatus> exit() {
        return exit;
    }

    boolean isRetired() {
        return retired.get();
    }

    /** Called (once, on the reader thread) when the connection ends while no request is pending. */
    void whenLost(Runnable action) {
        this.whenLost = action;
        if (closed.isDone()) {
            action.run();
        }
    }

    /**
     * Sends one request line; {@code whenAnswered} gets the answer, or {@link Gone}. It is in place
     * before the line goes out, so an answer runs it on the thread that read it, never on the sender's.
     */
    void request(byte[] line, BiConsumer<JsonNode, Throwable> whenAnswered) {
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        answer.whenComplete(whenAnswered);
        reply = answer;
        if (closed.isDone()) {
            answer.completeExceptionally(new Gone());
            return;
        }
        try {
            channel.send(line);
        } catch (IOException e) {
            answer.completeExceptionally(new Gone());
        }
    }

    /** An answer to the pending request completes it, on the reading thread with reading paused (see WorkerSocket). */
    @Override
    public Runnable onMessage(JsonNode message) {
        CompletableFuture<JsonNode> answer = reply;
        if (answer != null && (message.has("done") || message.has("loaded"))) {
            reply = null;
            return () -> answer.complete(message);
        }
        return null;
    }

    @Override
    public void onClosed() {
        closed.complete(null);
        CompletableFuture<JsonNode> answer = reply;
        if (answer != null && answer.completeExceptionally(new Gone())) {
            return;
        }
        whenLost.run();
    }

    /**
     * Stops the worker for good: kills its process group (it and anything it started), closes the
     * connection and deletes its scratch directory. Returns false if it was retired already.
     */
    boolean retire() {
        if (!retired.compareAndSet(false, true)) {
            return false;
        }
        ProcessGroups.killGroup(pid);
        channel.close();
        files.delete();
        return true;
    }
}
