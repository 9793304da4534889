package dev.tributary.functions.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.functions.sandbox.ProcessGroups;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The server's handle on a python zygote: a pre-initialised process that forks workers (and, for
 * the runtime zygote, function zygotes) on request, reaps them and reports how they ended.
 */
final class Zygote implements WorkerSocket.MessageListener {

    /** The zygote's connection ended before it answered a fork request. */
    static final class Gone extends IOException {
        private static final long serialVersionUID = 1L;

        Gone(String why) {
            super(why);
        }
    }

    private record Fork(CompletableFuture<Long> pid, Consumer<ExitStatus> onExit) {
    }

    private final long pid;
    private final LineChannel channel;
    private final RuntimeDirectory.ProcessFiles files;
    private final Map<String, Fork> forking = new ConcurrentHashMap<>();
    private final Map<Long, Consumer<ExitStatus>> children = new ConcurrentHashMap<>();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();

    Zygote(long pid, LineChannel channel, RuntimeDirectory.ProcessFiles files) {
        this.pid = pid;
        this.channel = channel;
        this.files = files;
    }

    long pid() {
        return pid;
    }

    boolean isGone() {
        return closed.isDone();
    }

    /** True while a fork request waits for its answer. */
    boolean isForking() {
        return !forking.isEmpty();
    }

    /**
     * Asks for a fork. {@code kind} is "fork" (a worker) or "zygote" (a function zygote); the spec
     * carries the child's token. The future gives the child's pid, or fails if the fork failed.
     */
    CompletableFuture<Long> fork(String kind, ObjectNode spec, Consumer<ExitStatus> onExit) {
        String token = spec.path("token").asText();
        Fork fork = new Fork(new CompletableFuture<>(), onExit);
        forking.put(token, fork);
        ObjectNode message = LineChannel.JSON.createObjectNode();
        message.set(kind, spec);
        try {
            if (closed.isDone()) {
                throw new Gone("the zygote has stopped");
            }
            channel.send(message);
        } catch (IOException e) {
            forking.remove(token);
            fork.pid().completeExceptionally(e);
        }
        return fork.pid();
    }

    @Override
    public Runnable onMessage(JsonNode message) {
        if (message.has("forked")) {
            Fork fork = forking.remove(message.path("forked").asText());
            if (fork != null) {
                long child = message.path("pid").asLong();
                children.put(child, fork.onExit());
                fork.pid().complete(child);
            }
        } else if (message.has("fork_failed")) {
            Fork fork = forking.remove(message.path("fork_failed").asText());
            if (fork != null) {
                fork.pid().completeExceptionally(new IOException("the zygote could not fork: " + message.path("error").asText()));
            }
        } else if (message.has("exited")) {
            Consumer<ExitStatus> onExit = children.remove(message.path("exited").asLong());
            if (onExit != null) {
                onExit.accept(message.has("signal") ? ExitStatus.killed(message.path("signal").asInt())
                        : ExitStatus.exited(message.path("code").asInt()));
            }
        }
        return null;
    }

    @Override
    public void onClosed() {
        closed.complete(null);
        forking.values().forEach(fork -> fork.pid().completeExceptionally(new Gone("the zygote's connection closed")));
        forking.clear();
    }

    CompletableFuture<Void> closed() {
        return closed;
    }

    /** Stops the zygote (its children live in their own sessions and are stopped on their own). */
    void stop() {
        channel.close();
        ProcessGroups.killGroup(pid);
        files.delete();
    }
}
