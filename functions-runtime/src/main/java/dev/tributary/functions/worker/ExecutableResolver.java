package dev.tributary.functions.worker;

import dev.tributary.functions.FailureTypes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * Finds the real binary behind a configured interpreter name once, so no start goes through a
 * version manager's shim (pyenv's adds 40-60 ms to every start). An absolute path that is not a
 * shim is taken as it is; anything else is asked for its own executable path.
 */
final class ExecutableResolver {

    private final String language;
    private final String configured;
    private final List<String> askExecutable;
    private volatile Path resolved;

    /**
     * @param askExecutable arguments that make the binary print its own executable path
     *                      (python: {@code -c "import sys;print(sys.executable)"}, node: {@code -p process.execPath})
     */
    ExecutableResolver(String language, String configured, List<String> askExecutable) {
        this.language = language;
        this.configured = configured;
        this.askExecutable = askExecutable;
    }

    /**
     * Resolves the binary on {@code executor} now, so the first cold start does not pay for it
     * (through a version-manager shim that is a process start of its own). A failure is not kept:
     * the first activation meets it again and reports it.
     */
    void resolveSoon(Executor executor) {
        executor.execute(() -> {
            try {
                path();
            } catch (WorkerStartFailure e) {
                // reported by the first activation that needs the binary
            }
        });
    }

    /** @throws WorkerStartFailure of type Unavailable when the binary cannot be run */
    Path path() {
        Path known = resolved;
        if (known == null) {
            synchronized (this) {
                if (resolved == null) {
                    resolved = resolve();
                }
                known = resolved;
            }
        }
        return known;
    }

    private Path resolve() {
        Path given = Path.of(configured);
        if (given.isAbsolute() && Files.isExecutable(given) && !given.toString().contains("/shims/")) {
            return given;
        }
        try {
            Process process = new ProcessBuilder(command()).redirectErrorStream(true).start();
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw unavailable("'" + configured + "' exited with " + process.exitValue() + ": " + output);
            }
            Path real = Path.of(output.lines().reduce((first, last) -> last).orElse(""));
            if (!real.isAbsolute() || !Files.isExecutable(real)) {
                throw unavailable("'" + configured + "' named its executable '" + output + "', which is not an executable file");
            }
            return real;
        } catch (IOException e) {
            throw unavailable("could not run '" + configured + "': " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable("interrupted while asking '" + configured + "' for its executable");
        }
    }

    private List<String> command() {
        List<String> command = new java.util.ArrayList<>();
        command.add(configured);
        command.addAll(askExecutable);
        return command;
    }

    private WorkerStartFailure unavailable(String why) {
        return new WorkerStartFailure(FailureTypes.UNAVAILABLE, "the " + language + " runtime is not available on this node: " + why, "");
    }
}
