package dev.tributary.functions.process;

import dev.tributary.functions.sandbox.ProcessGroups;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One process from start to a dead process group: writes the input to stdin, drains stdout (up
 * to a cap) and stderr on their own threads so a chatty process cannot block on a full pipe,
 * and enforces the deadline. The command must start a new process group whose id is the pid
 * ({@link ProcessGroups#inNewGroup}). Once the process has exited — or timed out, or written too
 * much — the whole group is killed, so nothing it started in the background outlives the
 * activation.
 */
final class ProcessRun {

    /** How long the pipes may stay open after the group is killed; only a process that left the group can hold them. */
    private static final Duration PIPE_GRACE = Duration.ofSeconds(2);

    enum Ending { EXITED, TIMED_OUT, OUTPUT_TOO_LARGE, OUTPUT_HELD_OPEN }

    /**
     * @param exitStatus the status when {@code ending} is EXITED (or OUTPUT_HELD_OPEN), else -1
     * @param stdout     everything written to stdout when EXITED, else empty
     */
    record Outcome(Ending ending, int exitStatus, byte[] stdout, StderrCollector stderr) {
    }

    private final Executor pipes;

    /** @param pipes runs the stdin writer and the two drains; it must not bound them below three per run */
    ProcessRun(Executor pipes) {
        this.pipes = pipes;
    }

    /** Runs {@code command} to its end; blocks the calling thread. */
    Outcome run(List<String> command, Path workingDirectory, Map<String, String> environment, byte[] stdin,
                Duration timeout, long maxStdoutBytes, int logBytes) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(workingDirectory.toFile());
        builder.environment().clear();
        builder.environment().putAll(environment);
        Process process = builder.start();
        long group = process.pid();
        AtomicBoolean tooLarge = new AtomicBoolean();
        StderrCollector stderr = new StderrCollector(logBytes);
        CompletableFuture<Void> errDrained = CompletableFuture.runAsync(() -> stderr.drain(process.getErrorStream()), pipes);
        CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> {
            byte[] bytes = readAtMost(process.getInputStream(), maxStdoutBytes + 1);
            if (bytes.length > maxStdoutBytes) {
                tooLarge.set(true);
                ProcessGroups.killGroup(group); // no point letting it run on
            }
            return bytes;
        }, pipes);
        CompletableFuture.runAsync(() -> write(process.getOutputStream(), stdin), pipes);

        boolean exited;
        try {
            exited = process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } finally {
            ProcessGroups.killGroup(group);
        }
        process.waitFor();
        byte[] stdout = awaitPipes(out, errDrained);
        if (tooLarge.get()) {
            return new Outcome(Ending.OUTPUT_TOO_LARGE, -1, new byte[0], stderr);
        }
        if (!exited) {
            return new Outcome(Ending.TIMED_OUT, -1, new byte[0], stderr);
        }
        if (stdout == null) {
            return new Outcome(Ending.OUTPUT_HELD_OPEN, process.exitValue(), new byte[0], stderr);
        }
        return new Outcome(Ending.EXITED, process.exitValue(), stdout, stderr);
    }

    /** Stdout, or null when a process that escaped the group still holds a pipe open. */
    private static byte[] awaitPipes(CompletableFuture<byte[]> out, CompletableFuture<Void> errDrained) throws InterruptedException {
        try {
            CompletableFuture.allOf(out, errDrained).get(PIPE_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            return out.join();
        } catch (TimeoutException e) {
            return null; // the draining threads stay blocked until that process ends; nothing else waits for them
        } catch (ExecutionException e) {
            throw new IllegalStateException("Expected the pipes of a process to drain, but " + e.getCause(), e.getCause());
        }
    }

    private static byte[] readAtMost(InputStream stdout, long max) {
        try (stdout) {
            return stdout.readNBytes((int) Math.min(max, Integer.MAX_VALUE - 8));
        } catch (IOException e) {
            return new byte[0]; // the pipe broke because the group was killed; the ending says why
        }
    }

    private static void write(OutputStream stdin, byte[] input) {
        try (stdin) {
            stdin.write(input);
        } catch (IOException e) {
            // The process closed stdin or died without reading it all; its exit status says what happened.
        }
    }
}
