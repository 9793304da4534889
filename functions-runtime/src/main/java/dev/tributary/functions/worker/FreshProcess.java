package dev.tributary.functions.worker;

import dev.tributary.functions.FailureTypes;
import dev.tributary.functions.sandbox.ChildEnvironment;
import dev.tributary.functions.sandbox.ProcessGroups;
import java.io.File;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Spawns a worker (or zygote) process from a binary: in a new session and process group, in its
 * scratch directory with only the child environment, stdin from /dev/null and stdout/stderr into
 * its output file (the protocol never uses them; this keeps what a crash prints).
 */
final class FreshProcess {

    private FreshProcess() {
    }

    /**
     * @param startOnly variables for the binary's own start-up (e.g. malloc tuning), which the
     *                  bootstrap removes from the environment before user code runs
     */
    static Process spawn(List<String> command, RuntimeDirectory.ProcessFiles files, Map<String, String> declaredEnv,
                         Map<String, String> startOnly) {
        ProcessBuilder builder = new ProcessBuilder(ProcessGroups.inNewGroup(command))
                .directory(files.scratch().toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(files.output().toFile()))
                .redirectErrorStream(true);
        ChildEnvironment.apply(builder, files.scratch(), declaredEnv).environment().putAll(startOnly);
        try {
            return builder.start();
        } catch (IOException e) {
            throw new WorkerStartFailure(FailureTypes.UNAVAILABLE, "Expected to start " + command.get(0) + ", but "
                    + e.getMessage(), "");
        }
    }

    /** Spawns a worker for {@code start}: its pid and exit are reported to the start. */
    static void spawnFor(WorkerStart start, List<String> command, Map<String, String> declaredEnv,
                         Map<String, String> startOnly, ScheduledExecutorService scheduler) {
        Process process = spawn(command, start.files(), declaredEnv, startOnly);
        start.pidKnown(process.pid());
        process.onExit().thenAccept(done -> start.exited(ExitStatus.ofJdkExitValue(done.exitValue()), scheduler));
    }
}
