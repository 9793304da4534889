package dev.tributary.functions.sandbox;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Starts function processes as leaders of their own session and process group (through
 * {@code setsid}, which execs in place, so the pid is the group id) and kills whole groups, so a
 * timeout leaves no grandchild behind. Killing a group that is already gone is not an error.
 */
public final class ProcessGroups {

    private static final String SETSID = "/usr/bin/setsid";
    private static final String KILL = "/bin/kill";

    private ProcessGroups() {
    }

    /** {@code command} prefixed so that it runs in a new session; the started process's pid is its group id. */
    public static List<String> inNewGroup(List<String> command) {
        List<String> wrapped = new ArrayList<>(command.size() + 1);
        wrapped.add(SETSID);
        wrapped.addAll(command);
        return wrapped;
    }

    /** Sends SIGKILL to every process of group {@code pgid} and waits (briefly) for {@code kill} to finish. */
    public static void killGroup(long pgid) {
        if (pgid <= 1) {
            throw new IllegalArgumentException("Expected a process group id above 1, but got " + pgid);
        }
        try {
            Process kill = new ProcessBuilder(KILL, "-KILL", "--", "-" + pgid)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            kill.waitFor(2, TimeUnit.SECONDS);
        } catch (IOException e) {
            // Fall back to what the JDK can reach: the leader and the descendants it still knows.
            ProcessHandle.of(pgid).ifPresent(ProcessGroups::destroyTree);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void destroyTree(ProcessHandle leader) {
        leader.descendants().forEach(ProcessHandle::destroyForcibly);
        leader.destroyForcibly();
    }
}
