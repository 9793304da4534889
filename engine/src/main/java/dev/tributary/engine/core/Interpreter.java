package dev.tributary.engine.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.dsl.expr.ExpressionError;
import dev.tributary.dsl.expr.SecretResolver;
import dev.tributary.dsl.model.Action;
import dev.tributary.dsl.model.Step;
import dev.tributary.engine.core.HistoryEvent.Type;
import dev.tributary.engine.core.RunState.Frame;
import dev.tributary.engine.core.RunState.Pending;
import java.util.List;

/**
 * Advances a run by one signal: {@code step(plan, state, signal) → Transition}. Pure: no I/O, no
 * clock but the signal's instant, deterministic ({@code uuid()} and retry jitter are seeded by the
 * run), so feeding a run's recorded signals again rebuilds it ({@link Replay}). Thread-safe; the
 * given state is never modified.
 */
public final class Interpreter {

    private final InterpreterLimits limits;
    private final SecretResolver secrets;

    public Interpreter(InterpreterLimits limits, SecretResolver secrets) {
        this.limits = limits;
        this.secrets = secrets;
    }

    /**
     * @param state the run's current state; null exactly when the signal is {@link Signal.Start}
     */
    public Transition step(WorkflowPlan plan, RunState state, Signal signal) {
        if (signal instanceof Signal.Start start) {
            if (state != null) {
                throw new IllegalTransitionException("Expected a new run for Start, but run '" + state.id + "' exists");
            }
            Turn turn = new Turn(plan, newRun(start), start.at(), limits, secrets);
            Flow flow = new Flow(turn);
            return finish(turn, flow, () -> {
                begin(turn, flow, start);
                return true;
            });
        }
        if (state == null) {
            throw new IllegalArgumentException("Expected the state of the run for " + signal.getClass().getSimpleName());
        }
        if (state.status.isFinal()) {
            return unchanged(state);
        }
        Turn turn = new Turn(plan, state.copy(), signal.at(), limits, secrets);
        Flow flow = new Flow(turn);
        Transition t = finish(turn, flow, () -> handle(turn, flow, signal));
        return t == null ? unchanged(state) : t;
    }

    private static Transition unchanged(RunState state) {
        return new Transition(state, List.of(), List.of(), List.of());
    }

    private interface Work {
        /** @return false when the signal changed nothing */
        boolean run();
    }

    /** Runs the signal's work, enforces the run's limits, settles RUNNING vs WAITING; null when nothing changed. */
    private Transition finish(Turn turn, Flow flow, Work work) {
        try {
            if (!work.run()) {
                return null;
            }
            if (!turn.state.status.isFinal()) {
                String oversized = turn.oversizedData();
                if (oversized != null) {
                    throw new Turn.LimitBreach(oversized);
                }
                if (turn.state.seq > limits.maxHistoryEvents()) {
                    throw new Turn.LimitBreach("the history of run '" + turn.state.id + "' passed "
                            + limits.maxHistoryEvents() + " events (limit maxHistoryEvents)");
                }
            }
        } catch (Turn.LimitBreach e) {
            if (!turn.state.status.isFinal()) {
                flow.endRun(RunStatus.FAILED, null, ErrorInfo.of(ErrorInfo.LIMIT_EXCEEDED, e.getMessage()), null);
            }
        }
        RunState s = turn.state;
        if (!s.status.isFinal()) {
            boolean executing = s.pending.values().stream().anyMatch(p -> p.kind().isExecuting());
            s.status = s.status.to(executing ? RunStatus.RUNNING : RunStatus.WAITING, s.id);
        }
        return turn.transition();
    }

    private static RunState newRun(Signal.Start start) {
        RunState s = new RunState();
        s.id = start.run().id();
        s.workflow = start.run().workflow();
        s.version = start.run().version();
        s.status = RunStatus.RUNNING;
        s.input = start.input();
        s.event = start.event();
        s.startedAt = start.at();
        if (start.parent() != null) {
            s.parentRunId = start.parent().runId();
            s.parentOpId = start.parent().opId();
        }
        return s;
    }

    private static void begin(Turn turn, Flow flow, Signal.Start start) {
        RunState s = turn.state;
        ObjectNode started = Turn.data().put("run", s.id).put("workflow", s.workflow).put("version", s.version);
        started.set("input", s.input);
        if (s.event != null) {
            started.set("event", s.event);
        }
        if (s.parentRunId != null) {
            started.put("parentRunId", s.parentRunId).put("parentOpId", s.parentOpId);
        }
        turn.record(Type.RunStarted, null, started);
        Frame root = new Frame();
        root.id = Frame.ROOT;
        root.data = s.input != null && s.input.isObject() ? s.input.deepCopy() : Turn.JSON.objectNode();
        s.frames.put(root.id, root);
        if (turn.plan.definition().timeout() != null) {
            flow.startTimer(root, "run/timeout", turn.at.plus(turn.plan.definition().timeout()), Pending.Kind.RUN_TIMEOUT);
        }
        List<Step> steps = turn.plan.definition().steps();
        if (steps.isEmpty()) {
            flow.frameSucceeded(root);
        } else {
            flow.enter(root, steps.get(0).name());
        }
    }

    private static boolean handle(Turn turn, Flow flow, Signal signal) {
        if (signal instanceof Signal.Cancel cancel) {
            ObjectNode recorded = Turn.data().put("reason", cancel.reason());
            flow.endRun(RunStatus.CANCELLED, null, ErrorInfo.of(ErrorInfo.CANCELLED, cancel.reason()), recorded);
            return true;
        }
        if (signal instanceof Signal.EventReceived received) {
            return eventReceived(turn, flow, received);
        }
        String opId = opId(signal);
        Pending p = turn.consume(opId);
        if (p == null) {
            return false; // late, duplicate or cancelled: the operation is not awaited any more
        }
        Frame f = turn.frame(p.frame());
        Step s = f.step == null ? null : turn.step(f);
        ObjectNode op = Turn.data().put("op", opId);
        if (signal instanceof Signal.CallSucceeded ok) {
            flow.succeed(f, s, ok.result(), null, op.put("attempt", f.attempt).set("result", ok.result()));
        } else if (signal instanceof Signal.CallFailed failed) {
            flow.fail(f, s, failed.error(), op);
        } else if (signal instanceof Signal.ChildEnded child) {
            childEnded(turn, flow, f, s, child, op);
        } else if (signal instanceof Signal.TimerFired) {
            turn.record(Type.TimerFired, p.step(), op.put("timer", opId));
            timerFired(turn, flow, f, s, p, opId);
        }
        return true;
    }

    private static String opId(Signal signal) {
        if (signal instanceof Signal.CallSucceeded s) {
            return s.opId();
        } else if (signal instanceof Signal.CallFailed s) {
            return s.opId();
        } else if (signal instanceof Signal.ChildEnded s) {
            return s.opId();
        } else if (signal instanceof Signal.TimerFired s) {
            return s.timerId();
        }
        throw new IllegalArgumentException("Expected a signal answering an operation, got " + signal);
    }

    private static void childEnded(Turn turn, Flow flow, Frame f, Step s, Signal.ChildEnded child, ObjectNode op) {
        op.put("child", child.status().name());
        if (child.status() == RunStatus.SUCCEEDED) {
            flow.succeed(f, s, child.output(), null, op.put("attempt", f.attempt).set("result", child.output()));
            return;
        }
        if (child.error() != null) {
            op.set("childError", child.error().toJson());
        }
        String childId = turn.childRunId(Turn.path(f) + "#" + f.attempt);
        ErrorInfo error = switch (child.status()) {
            case CANCELLED -> ErrorInfo.of(ErrorInfo.CANCELLED, "child run " + childId + " was cancelled");
            case TIMED_OUT -> ErrorInfo.of(ErrorInfo.TIMEOUT, "child run " + childId + " timed out");
            default -> ErrorInfo.of(ErrorInfo.CHILD_FAILED, "child run " + childId + " failed"
                    + (child.error() == null ? "" : ": " + child.error().type() + ": " + child.error().message()));
        };
        flow.fail(f, s, error, op);
    }

    private static void timerFired(Turn turn, Flow flow, Frame f, Step s, Pending p, String timerId) {
        switch (p.kind()) {
            case RUN_TIMEOUT -> flow.endRun(RunStatus.TIMED_OUT, null, ErrorInfo.of(ErrorInfo.TIMEOUT, "run timed out after "
                    + turn.plan.definition().timeout()), null);
            case WAIT_TIMER -> flow.succeed(f, s, null, null, null);
            case RETRY_TIMER -> flow.attempt(f, s, f.attempt + 1);
            case CALL_TIMEOUT -> flow.fail(f, s, ErrorInfo.of(ErrorInfo.TIMEOUT, "step '" + Turn.path(f)
                    + "' timed out after " + s.timeout()), null);
            case EVENT_TIMEOUT -> flow.fail(f, s, ErrorInfo.of(ErrorInfo.TIMEOUT, "no '"
                    + ((Action.AwaitEvent) s.action()).type() + "' event for step '" + Turn.path(f) + "' within "
                    + ((Action.AwaitEvent) s.action()).timeout()), null);
            case STEP_TIMEOUT -> flow.fanouts().timedOut(f, s);
            default -> throw new IllegalStateException("Expected a timer, but '" + timerId + "' is a " + p.kind());
        }
    }

    private static boolean eventReceived(Turn turn, Flow flow, Signal.EventReceived received) {
        Pending p = turn.state.pending.get(received.waitId());
        if (p == null || p.kind() != Pending.Kind.EVENT) {
            return false;
        }
        Frame f = turn.frame(p.frame());
        Step s = turn.step(f);
        Action.AwaitEvent await = (Action.AwaitEvent) s.action();
        if (await.match() != null) {
            boolean matches;
            try {
                matches = await.match().test(turn.context(f, received.event()));
            } catch (ExpressionError e) {
                turn.consume(received.waitId());
                ObjectNode op = Turn.data().put("op", received.waitId());
                op.set("event", received.event());
                flow.fail(f, s, ErrorInfo.of(ExpressionError.TYPE, "wait match: " + e.getMessage()), op);
                return true;
            }
            if (!matches) {
                return false; // not this one: keep waiting
            }
        }
        turn.consume(received.waitId());
        turn.state.event = received.event();
        ObjectNode recorded = Turn.data().put("op", received.waitId());
        recorded.set("event", received.event());
        turn.record(Type.EventReceived, p.step(), recorded);
        JsonNode event = received.event();
        flow.succeed(f, s, event, null, null);
        return true;
    }
}
