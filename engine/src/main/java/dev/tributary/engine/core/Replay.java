package dev.tributary.engine.core;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * Rebuilds a run from its history: the events that recorded a signal (the run's start, an answered
 * operation, a cancel) are turned back into that signal and fed to the interpreter in order. The
 * operation an event answers ({@code data.op}) is looked up among the operations pending at that
 * point, which tells which signal it was. Equal states prove the interpreter deterministic, and a
 * golden history that no longer replays flags a change that would break runs in flight.
 */
public final class Replay {

    private final Interpreter interpreter;

    public Replay(Interpreter interpreter) {
        this.interpreter = interpreter;
    }

    public RunState rebuild(WorkflowPlan plan, List<HistoryEvent> history) {
        RunState state = null;
        for (HistoryEvent e : history) {
            Signal signal = signalOf(state, e);
            if (signal != null) {
                state = interpreter.step(plan, state, signal).state();
            }
        }
        return state;
    }

    private static Signal signalOf(RunState state, HistoryEvent e) {
        JsonNode d = e.data();
        if (e.type() == HistoryEvent.Type.RunStarted) {
            Signal.Parent parent = d.hasNonNull("parentRunId")
                    ? new Signal.Parent(d.get("parentRunId").asText(), d.get("parentOpId").asText()) : null;
            return new Signal.Start(new RunId(d.get("run").asText(), d.get("workflow").asText(), d.get("version").asInt()),
                    d.get("input"), d.get("event"), parent, e.at());
        }
        if (e.type() == HistoryEvent.Type.RunCancelled && d.has("reason")) {
            return new Signal.Cancel(d.get("reason").asText(), e.at());
        }
        if (state == null || d == null || !d.hasNonNull("op")) {
            return null;
        }
        String op = d.get("op").asText();
        RunState.Pending pending = state.pending.get(op);
        if (pending == null) {
            throw new IllegalStateException("Expected operation '" + op + "' of history event " + e.seq()
                    + " to be pending in run '" + state.id + "', but it is not: the history does not replay");
        }
        boolean succeeded = e.type() == HistoryEvent.Type.StepSucceeded;
        return switch (pending.kind()) {
            case CALL -> succeeded ? new Signal.CallSucceeded(op, d.get("result"), e.at())
                    : new Signal.CallFailed(op, original(d.get("error")), e.at());
            case CHILD -> new Signal.ChildEnded(op, RunStatus.valueOf(d.get("child").asText()), d.get("result"),
                    ErrorInfo.fromJson(d.get("childError")), e.at());
            case EVENT -> new Signal.EventReceived(op, d.get("event"), e.at());
            default -> new Signal.TimerFired(op, e.at());
        };
    }

    /** The error as the function reported it, before the step and attempt were added. */
    private static ErrorInfo original(JsonNode error) {
        return ErrorInfo.of(error.path("type").asText(), error.path("message").asText());
    }
}
