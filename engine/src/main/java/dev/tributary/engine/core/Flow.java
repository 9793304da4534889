package dev.tributary.engine.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.dsl.expr.ExpressionError;
import dev.tributary.dsl.model.Action;
import dev.tributary.dsl.model.Catcher;
import dev.tributary.dsl.model.RetryPolicy;
import dev.tributary.dsl.model.Step;
import dev.tributary.engine.core.HistoryEvent.Type;
import dev.tributary.engine.core.RunState.Frame;
import dev.tributary.engine.core.RunState.Pending;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.SplittableRandom;

/**
 * Control flow inside frames: entering a step and doing what its kind says, finishing it (result,
 * {@code next}, {@code end}), failing it (retry, then catch, then the frame fails), and ending
 * frames and the run. Parallel and foreach steps are handed to {@link Fanouts}.
 */
final class Flow {

    private final Turn turn;
    private final Fanouts fanouts;

    Flow(Turn turn) {
        this.turn = turn;
        this.fanouts = new Fanouts(turn, this);
    }

    Fanouts fanouts() {
        return fanouts;
    }

    // ---- entering steps

    void enter(Frame f, String stepName) {
        turn.countStep();
        Step s = turn.plan.step(stepName).step();
        f.step = stepName;
        f.visit = f.visits.merge(stepName, 1, Integer::sum);
        f.attempt = 0;
        f.callInput = null;
        f.fanout = null;
        String path = Turn.path(f);
        ObjectNode started = Turn.data().put("kind", s.action().kind());
        boolean skip;
        try {
            skip = s.condition() != null && !s.condition().test(turn.context(f));
        } catch (ExpressionError e) {
            f.stepStatus = StepStatus.RUNNING;
            turn.record(Type.StepStarted, path, started);
            fail(f, s, ErrorInfo.of(ExpressionError.TYPE, e.getMessage()), null);
            return;
        }
        if (skip) {
            f.stepStatus = StepStatus.SKIPPED;
            turn.record(Type.StepSkipped, path, started.put("if", s.condition().source()));
            proceed(f, s, null);
            return;
        }
        f.stepStatus = StepStatus.RUNNING;
        turn.record(Type.StepStarted, path, started);
        try {
            act(f, s);
        } catch (ExpressionError | ValueError e) {
            fail(f, s, ErrorInfo.of(ExpressionError.TYPE, e.getMessage()), null);
        }
    }

    private void act(Frame f, Step s) {
        Action a = s.action();
        if (a instanceof Action.Call call) {
            f.callInput = call.with() == null ? f.data.deepCopy() : call.with().evaluate(turn.context(f));
            attempt(f, s, 1);
        } else if (a instanceof Action.RunWorkflow child) {
            f.callInput = child.with() == null ? f.data.deepCopy() : child.with().evaluate(turn.context(f));
            attempt(f, s, 1);
        } else if (a instanceof Action.Switch sw) {
            choose(f, s, sw);
        } else if (a instanceof Action.Delay delay) {
            sleep(f, s, turn.at.plus(delay.duration()));
        } else if (a instanceof Action.Until until) {
            sleep(f, s, instant(until.time().evaluate(turn.context(f))));
        } else if (a instanceof Action.AwaitEvent await) {
            awaitEvent(f, s, await);
        } else if (a instanceof Action.Parallel || a instanceof Action.Foreach) {
            fanouts.start(f, s);
        } else if (a instanceof Action.SetValues set) {
            var ctx = turn.context(f);
            JsonNode[] values = new JsonNode[set.assignments().size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = set.assignments().get(i).value().evaluate(ctx);
            }
            for (int i = 0; i < values.length; i++) {
                turn.write(f, set.assignments().get(i).path(), values[i]);
            }
            succeed(f, s, null, null, null);
        } else if (a instanceof Action.Emit emit) {
            var ctx = turn.context(f);
            String type = emit.type().evaluate(ctx).asText();
            JsonNode subject = emit.subject() == null ? null : emit.subject().evaluate(ctx);
            JsonNode data = emit.data() == null ? null : emit.data().evaluate(ctx);
            String id = turn.eventId(Turn.path(f));
            turn.commands.add(new Command.Emit(id, type, subject == null || subject.isNull() ? null : subject.asText(), data));
            succeed(f, s, null, null, Turn.data().put("eventId", id).put("type", type));
        } else if (a instanceof Action.Succeed) {
            // ends its step list (the run, a branch or an iteration) whatever follows
            f.stepStatus = StepStatus.SUCCEEDED;
            turn.record(Type.StepSucceeded, Turn.path(f), Turn.data());
            frameSucceeded(f);
        } else if (a instanceof Action.Fail failure) {
            var ctx = turn.context(f);
            String type = failure.error() == null ? "Failed" : failure.error().evaluate(ctx).asText();
            // a secret the message was built from never reaches the run's error or history (SPEC §2.2)
            String message = failure.message() == null ? "" : ctx.redactions().redact(failure.message().evaluate(ctx).asText());
            ErrorInfo error = ErrorInfo.of(type, message).at(Turn.path(f), 0);
            f.stepStatus = StepStatus.FAILED;
            turn.record(Type.StepFailed, Turn.path(f), Turn.data().set("error", error.toJson()));
            frameFailed(f, error);
        } else {
            throw new IllegalStateException("Expected a known step kind, but step '" + s.name() + "' is " + a.kind());
        }
    }

    /** Starts attempt {@code n} of a call or child-workflow step. */
    void attempt(Frame f, Step s, int n) {
        f.attempt = n;
        f.stepStatus = StepStatus.RUNNING;
        String path = Turn.path(f);
        String opId = path + "#" + n;
        if (s.action() instanceof Action.Call call) {
            turn.pend(opId, f, Pending.Kind.CALL);
            turn.commands.add(new Command.InvokeFunction(opId, call.function(), f.callInput, path, n,
                    turn.state.id + "/" + path + "/" + n, s.timeout()));
        } else {
            Action.RunWorkflow child = (Action.RunWorkflow) s.action();
            turn.pend(opId, f, Pending.Kind.CHILD);
            turn.commands.add(new Command.StartChild(opId, turn.childRunId(opId), child.workflow(), f.callInput));
        }
        if (s.timeout() != null) {
            startTimer(f, opId + "/timeout", turn.at.plus(s.timeout()), Pending.Kind.CALL_TIMEOUT);
        }
    }

    private void choose(Frame f, Step s, Action.Switch sw) {
        var ctx = turn.context(f);
        for (int i = 0; i < sw.cases().size(); i++) {
            Action.Case c = sw.cases().get(i);
            if (c.when().test(ctx)) {
                turn.record(Type.BranchTaken, Turn.path(f), Turn.data().put("case", i).put("next", c.next()));
                succeed(f, s, null, c.next(), null);
                return;
            }
        }
        if (sw.defaultNext() != null) {
            turn.record(Type.BranchTaken, Turn.path(f), Turn.data().put("default", true).put("next", sw.defaultNext()));
            succeed(f, s, null, sw.defaultNext(), null);
        } else {
            succeed(f, s, null, null, null);
        }
    }

    private void sleep(Frame f, Step s, Instant due) {
        if (!due.isAfter(turn.at)) {
            succeed(f, s, null, null, null);
            return;
        }
        f.stepStatus = StepStatus.WAITING;
        startTimer(f, Turn.path(f) + "/wait", due, Pending.Kind.WAIT_TIMER);
    }

    private void awaitEvent(Frame f, Step s, Action.AwaitEvent await) {
        String path = Turn.path(f);
        String key = null;
        if (await.key() != null) {
            JsonNode k = await.key().evaluate(turn.context(f));
            key = k == null || k.isNull() ? null : k.asText();
        }
        f.stepStatus = StepStatus.WAITING;
        String waitId = path + "/event";
        turn.pend(waitId, f, Pending.Kind.EVENT);
        turn.commands.add(new Command.AwaitEvent(waitId, await.type(), key));
        ObjectNode awaited = Turn.data().put("wait", waitId).put("type", await.type());
        awaited.put("key", key);
        turn.record(Type.EventAwaited, path, awaited);
        if (await.timeout() != null) {
            startTimer(f, path + "/timeout", turn.at.plus(await.timeout()), Pending.Kind.EVENT_TIMEOUT);
        }
    }

    void startTimer(Frame f, String timerId, Instant due, Pending.Kind kind) {
        turn.pend(timerId, f, kind);
        turn.commands.add(new Command.StartTimer(timerId, due));
        turn.record(Type.TimerStarted, Turn.path(f), Turn.data().put("timer", timerId).put("dueAt", due.toString()));
    }

    private static Instant instant(JsonNode value) {
        String text = value == null || value.isNull() ? "" : value.asText();
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            try {
                return OffsetDateTime.parse(text).toInstant();
            } catch (DateTimeParseException e2) {
                throw new ValueError("wait until: expected an ISO-8601 instant such as 2026-12-31T23:00:00Z, got '" + text + "'");
            }
        }
    }

    // ---- finishing steps

    /**
     * The current step of {@code f} succeeded with {@code result} (null: nothing to write). Control
     * goes to {@code target} when given, else per {@code end}/{@code next}/order.
     *
     * @param recorded extra fields for the StepSucceeded event (the answered op, the result for replay)
     */
    void succeed(Frame f, Step s, JsonNode result, String target, ObjectNode recorded) {
        turn.dropOps(f);
        JsonNode value = result;
        if (s.action() instanceof Action.AwaitEvent await) {
            turn.write(f, await.result(), value);
        } else if (value != null) {
            turn.write(f, s.result(), value);
        }
        f.stepStatus = StepStatus.SUCCEEDED;
        turn.record(Type.StepSucceeded, Turn.path(f), recorded == null ? Turn.data() : recorded);
        proceed(f, s, target);
    }

    /** Where control goes after a step that succeeded, was skipped, or had its error caught. */
    private void proceed(Frame f, Step s, String target) {
        if (target != null) {
            enter(f, target);
        } else if (s.end()) {
            frameSucceeded(f);
        } else if (s.next() != null) {
            enter(f, s.next());
        } else {
            WorkflowPlan.Placed placed = turn.plan.step(s.name());
            if (placed.index() + 1 < placed.list().size()) {
                enter(f, placed.list().get(placed.index() + 1).name());
            } else {
                frameSucceeded(f);
            }
        }
    }

    /**
     * The current step of {@code f} failed: retried if its policy says so, else caught by the
     * first matching {@code catch}, else the frame fails.
     *
     * @param op the answered operation whose failure this is, recorded for replay; null otherwise
     */
    void fail(Frame f, Step s, ErrorInfo raw, ObjectNode op) {
        String path = Turn.path(f);
        // an error from inside a branch or iteration keeps the step where it happened
        ErrorInfo error = raw.step() == null ? raw.at(path, f.attempt) : raw;
        turn.dropOps(f);
        ObjectNode recorded = op == null ? Turn.data() : op;
        recorded.set("error", error.toJson());
        RetryPolicy retry = s.retry();
        boolean retryable = s.action() instanceof Action.Call || s.action() instanceof Action.RunWorkflow;
        if (retryable && f.attempt > 0 && retry.retries(error.type(), f.attempt)) {
            Duration delay = backoff(retry, f.attempt, path);
            recorded.put("attempt", f.attempt).put("delayMs", delay.toMillis());
            f.stepStatus = f.stepStatus.to(StepStatus.RETRYING, path);
            turn.record(Type.StepRetrying, path, recorded);
            if (delay.isZero()) {
                attempt(f, s, f.attempt + 1);
            } else {
                startTimer(f, path + "#" + f.attempt + "/retry", turn.at.plus(delay), Pending.Kind.RETRY_TIMER);
            }
            return;
        }
        f.stepStatus = StepStatus.FAILED;
        Catcher catcher = s.catchers().stream().filter(c -> c.matches(error.type())).findFirst().orElse(null);
        if (catcher == null) {
            turn.record(Type.StepFailed, path, recorded);
            frameFailed(f, error);
            return;
        }
        turn.record(Type.StepFailed, path, recorded.put("caught", true));
        f.caught = error.toJson();
        turn.write(f, catcher.result(), f.caught);
        proceed(f, s, catcher.next());
    }

    /** Full jitter, drawn from a generator seeded by the step, so a replay draws the same delay. */
    private Duration backoff(RetryPolicy retry, int attempt, String path) {
        long ceiling = retry.ceilingAfter(attempt).toMillis();
        if (!retry.jitter() || ceiling <= 0) {
            return Duration.ofMillis(ceiling);
        }
        long seed = (turn.state.id + "/" + path + "#" + attempt).hashCode();
        return Duration.ofMillis(new SplittableRandom(seed).nextLong(ceiling + 1));
    }

    // ---- frames and the run

    void frameSucceeded(Frame f) {
        if (f.parent == null) {
            String oversized = turn.oversizedData();
            if (oversized != null) {
                endRun(RunStatus.FAILED, null, ErrorInfo.of(ErrorInfo.LIMIT_EXCEEDED, oversized), null);
                return;
            }
            JsonNode output;
            try {
                output = turn.plan.definition().output() == null ? f.data
                        : turn.plan.definition().output().evaluate(turn.context(f));
            } catch (ExpressionError e) {
                endRun(RunStatus.FAILED, null, ErrorInfo.of(ExpressionError.TYPE, "workflow output: " + e.getMessage()), null);
                return;
            }
            endRun(RunStatus.SUCCEEDED, output, null, null);
        } else {
            fanouts.childEnded(f, f.writes, null);
        }
    }

    void frameFailed(Frame f, ErrorInfo error) {
        if (f.parent == null) {
            endRun(RunStatus.FAILED, null, error, null);
        } else {
            fanouts.childEnded(f, null, error);
        }
    }

    /**
     * Ends the run: every pending operation is dropped (child runs cancelled), every step still in
     * progress is recorded as failed with {@code Cancelled}, and the final event is recorded.
     */
    void endRun(RunStatus status, JsonNode output, ErrorInfo error, ObjectNode recorded) {
        RunState state = turn.state;
        Frame root = state.frames.get(Frame.ROOT);
        if (status != RunStatus.SUCCEEDED && root != null) {
            abandon(root, "run " + status.name().toLowerCase().replace('_', ' '));
        }
        state.pending.keySet().forEach(id -> {
            turn.finished.add(id);
            if (state.pending.get(id).kind() == Pending.Kind.CHILD) {
                turn.commands.add(new Command.CancelChild(turn.childRunId(id)));
            }
        });
        state.pending.clear();
        state.finalData = root == null ? state.finalData : root.data;
        state.frames.clear();
        state.status = state.status.to(status, state.id);
        state.output = output;
        state.error = error;
        state.endedAt = turn.at;
        ObjectNode data = recorded == null ? Turn.data() : recorded;
        if (output != null) {
            data.set("output", output);
        }
        if (error != null) {
            data.set("error", error.toJson());
        }
        turn.record(switch (status) {
            case SUCCEEDED -> Type.RunSucceeded;
            case CANCELLED -> Type.RunCancelled;
            case TIMED_OUT -> Type.RunTimedOut;
            default -> Type.RunFailed;
        }, null, data);
        turn.commands.add(new Command.RunEnded(status, output, error));
    }

    /**
     * Stops a frame whose work is no longer wanted: its in-progress step is recorded as failed
     * with {@code Cancelled}, its operations dropped, its branch and iteration frames stopped too.
     */
    void abandon(Frame f, String why) {
        if (f.fanout != null) {
            for (String child : f.fanout.children.values()) {
                Frame c = turn.frame(child);
                if (c != null) {
                    abandon(c, why);
                }
            }
            f.fanout.children.clear();
            f.fanout.running = 0;
        }
        turn.dropOps(f);
        if (f.stepStatus != null && !f.stepStatus.isFinal()) {
            f.stepStatus = f.stepStatus.to(StepStatus.CANCELLED, Turn.path(f));
            ErrorInfo cancelled = ErrorInfo.of(ErrorInfo.CANCELLED, "step cancelled: " + why).at(Turn.path(f), f.attempt);
            turn.record(Type.StepFailed, Turn.path(f), Turn.data().set("error", cancelled.toJson()));
        }
        if (f.parent != null) {
            turn.state.frames.remove(f.id);
        }
    }

    /** An expression gave a value of the wrong shape (an until time that is no instant, foreach items that are no array). */
    static final class ValueError extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ValueError(String message) {
            super(message, null, false, false);
        }
    }
}
