package dev.tributary.engine.store;

import dev.tributary.engine.core.HistoryEvent;
import java.util.List;

/**
 * One transition of one run, to write in one transaction: the run row (inserted when
 * {@code expectedVersion} is 0, else updated only if the stored version still equals it; the
 * row's own version is expectedVersion + 1), its new history events, the tasks it starts and
 * the ids of the tasks it finishes (deleted; a missing one is not an error).
 */
public record RunCommit(RunRecord run, long expectedVersion, List<HistoryEvent> events, List<Task> newTasks,
                        List<String> finishedTasks) {

    public RunCommit {
        events = List.copyOf(events);
        newTasks = List.copyOf(newTasks);
        finishedTasks = List.copyOf(finishedTasks);
    }

    public boolean createsRun() {
        return expectedVersion == 0;
    }
}
