package dev.tributary.functions.process;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.tributary.dsl.model.FunctionDef;
import dev.tributary.functions.ActivationLogs;
import dev.tributary.functions.Execution;
import dev.tributary.functions.FailureTypes;
import dev.tributary.functions.FunctionRuntime;
import dev.tributary.functions.InvocationResult;
import dev.tributary.functions.Job;
import dev.tributary.functions.code.CodeLocator;
import dev.tributary.functions.code.CodeUnavailableException;
import dev.tributary.functions.sandbox.ChildEnvironment;
import dev.tributary.functions.sandbox.ProcessGroups;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The {@code process} runtime (SPEC §2.3): a fresh process per activation, so every activation
 * is a cold start. The {@code handler} is the command line ({@link CommandLine}: simple shell
 * quoting, no shell features). The process
 * <ul>
 *   <li>runs in a scratch directory of its own (also its {@code HOME}), deleted afterwards; the
 *       function's code directory comes first on {@code PATH}, and words of the command line
 *       that name files there ({@code ./run.sh}, {@code python3 handler.py}) are made absolute;</li>
 *   <li>gets {@link ChildEnvironment} only: PATH, HOME, LANG and the function's declared env;</li>
 *   <li>leads a process group of its own, killed as a whole when the activation ends, so a
 *       timeout — or a background child left behind after a normal exit — leaves no process;</li>
 *   <li>reads the input JSON on stdin and writes the result JSON on stdout (nothing → null);
 *       stderr is its log; a non-zero exit fails with the stderr tail;</li>
 *   <li>has its address space limited to its {@code memory} plus an allowance ({@link AddressSpaceLimit}).</li>
 * </ul>
 */
public final class ProcessRuntime implements FunctionRuntime {

    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final int SHOWN_OUTPUT_CHARS = 200;

    private final CodeLocator code;
    private final Path scratchRoot;
    private final Clock clock;
    private final long maxResultBytes;
    private final AddressSpaceLimit memory;
    private final ExecutorService threads;
    private final ProcessRun processes;

    /** Results up to 1 MiB, address space limited with the default allowance. */
    public ProcessRuntime(CodeLocator code, Path scratchRoot, Clock clock) {
        this(code, scratchRoot, clock, 1L << 20, AddressSpaceLimit.DEFAULT);
    }

    /**
     * @param code        finds a function's code directory (not asked for functions without code)
     * @param scratchRoot where each activation's scratch directory is made
     */
    public ProcessRuntime(CodeLocator code, Path scratchRoot, Clock clock, long maxResultBytes, AddressSpaceLimit memory) {
        this.code = code;
        this.scratchRoot = scratchRoot;
        this.clock = clock;
        this.maxResultBytes = maxResultBytes;
        this.memory = memory;
        // Four mostly-blocked threads per activation (waiter, stdin, stdout, stderr); idle ones end after a minute.
        this.threads = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS, new SynchronousQueue<>(), daemonThreads());
        this.processes = new ProcessRun(threads);
    }

    @Override
    public CompletableFuture<Execution> invoke(Job job) {
        return CompletableFuture.supplyAsync(() -> activate(job), threads);
    }

    private Execution activate(Job job) {
        FunctionDef function = job.function();
        Instant startedAt = clock.instant();
        long start = System.nanoTime();
        Path scratch = null;
        try {
            Path directory = codeDirectory(function);
            List<String> command = command(function, directory);
            scratch = Files.createTempDirectory(Files.createDirectories(scratchRoot), "process-");
            ProcessRun.Outcome outcome = processes.run(command, scratch, environment(directory, scratch, job.env()),
                    JSON.writeValueAsBytes(job.input()), job.timeout(), maxResultBytes, ActivationLogs.MAX_BYTES);
            return new Execution(result(function, job.timeout(), outcome), startedAt, since(start), true, outcome.stderr().logs());
        } catch (CodeUnavailableException e) {
            return failed(FailureTypes.UNAVAILABLE, e.getMessage(), startedAt, start);
        } catch (IllegalArgumentException e) {
            return failed(FailureTypes.FUNCTION_ERROR, "Expected process function '" + function.name()
                    + "' to have a command line as its handler, but: " + e.getMessage(), startedAt, start);
        } catch (IOException e) {
            return failed(FailureTypes.FUNCTION_ERROR, "Expected to start process function '" + function.name()
                    + "', but " + e.getMessage(), startedAt, start);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failed(FailureTypes.UNAVAILABLE, "process function '" + function.name()
                    + "' was stopped because the server is shutting down", startedAt, start);
        } finally {
            if (scratch != null) {
                deleteTree(scratch);
            }
        }
    }

    private List<String> command(FunctionDef function, Path directory) {
        List<String> command = new ArrayList<>(memory.prefix(function.limits().memoryMb()));
        command.addAll(CommandLine.parse(function.handler() == null ? "" : function.handler()).resolvedAgainst(directory));
        return ProcessGroups.inNewGroup(command);
    }

    private Path codeDirectory(FunctionDef function) {
        return function.code().isInline() || function.code().isPath() ? code.locate(function).directory() : null;
    }

    private static Map<String, String> environment(Path directory, Path scratch, Map<String, String> declared) {
        Map<String, String> env = ChildEnvironment.of(scratch, declared);
        if (directory != null) {
            env.put("PATH", directory.toAbsolutePath() + ":" + env.get("PATH"));
        }
        return env;
    }

    private InvocationResult result(FunctionDef function, Duration timeout, ProcessRun.Outcome outcome) {
        String name = function.name();
        return switch (outcome.ending()) {
            case TIMED_OUT -> new InvocationResult.Failure(FailureTypes.TIMEOUT,
                    "process function '" + name + "' did not finish within " + timeout + " and was killed");
            case OUTPUT_TOO_LARGE -> new InvocationResult.Failure(FailureTypes.LIMIT_EXCEEDED, "the result of process function '"
                    + name + "' is over the limit 'function result' of " + maxResultBytes + " bytes; it was killed");
            case OUTPUT_HELD_OPEN -> new InvocationResult.Failure(FailureTypes.FUNCTION_ERROR, "process function '" + name
                    + "' exited with status " + outcome.exitStatus() + " but left a process outside its group holding stdout open");
            case EXITED -> outcome.exitStatus() != 0 ? exitFailure(name, outcome) : parsed(name, outcome.stdout());
        };
    }

    private static InvocationResult exitFailure(String name, ProcessRun.Outcome outcome) {
        String tail = outcome.stderr().tail();
        return new InvocationResult.Failure(FailureTypes.FUNCTION_ERROR, "process function '" + name + "' exited with status "
                + outcome.exitStatus() + (tail.isEmpty() ? " and wrote nothing on stderr" : ": " + tail));
    }

    private static InvocationResult parsed(String name, byte[] stdout) {
        String text = new String(stdout, StandardCharsets.UTF_8);
        if (text.isBlank()) {
            return new InvocationResult.Success(NullNode.getInstance());
        }
        try {
            JsonNode result = JSON.readTree(stdout);
            return new InvocationResult.Success(result);
        } catch (JsonProcessingException e) {
            String shown = text.strip();
            shown = shown.length() > SHOWN_OUTPUT_CHARS ? shown.substring(0, SHOWN_OUTPUT_CHARS) + "..." : shown;
            return new InvocationResult.Failure(FailureTypes.FUNCTION_ERROR, "Expected process function '" + name
                    + "' to write its result as JSON on stdout, but it wrote: " + shown);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Execution failed(String type, String message, Instant startedAt, long start) {
        return new Execution(new InvocationResult.Failure(type, message), startedAt, since(start), true, "");
    }

    private static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    /** Deletes the scratch directory without following links the process may have planted in it. */
    private static void deleteTree(Path root) {
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                    Files.deleteIfExists(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            // A leftover scratch directory wastes disk, nothing more; the next activation gets a new one.
        }
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, "process-function-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
