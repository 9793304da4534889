package dev.tributary.engine.core;

import java.util.List;

/**
 * What one signal did to a run: the new state, the history events recorded, the commands to
 * carry out after commit, and the ids of tasks whose work is done or no longer wanted (to delete
 * in the same transaction). A signal that changed nothing gives an empty transition with the
 * state unchanged.
 */
public record Transition(RunState state, List<HistoryEvent> events, List<Command> commands, List<String> finishedTasks) {

    public Transition {
        events = List.copyOf(events);
        commands = List.copyOf(commands);
        finishedTasks = List.copyOf(finishedTasks);
    }

    public boolean changed() {
        return !events.isEmpty() || !commands.isEmpty() || !finishedTasks.isEmpty();
    }
}
