package dev.tributary.engine.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.dsl.expr.EvalContext;
import dev.tributary.dsl.expr.SecretResolver;
import dev.tributary.dsl.model.ResultPath;
import dev.tributary.dsl.model.Step;
import dev.tributary.engine.core.RunState.Frame;
import dev.tributary.engine.core.RunState.Pending;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The working context of one signal: the run's private copy of state, and what the transition
 * records — history events, commands, finished tasks. Holds the small operations every step kind
 * shares (recording, pending operations, expression contexts, writing results).
 */
final class Turn {

    static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    final WorkflowPlan plan;
    final RunState state;
    final Instant at;
    final InterpreterLimits limits;
    private final SecretResolver secrets;
    final List<HistoryEvent> events = new ArrayList<>();
    final List<Command> commands = new ArrayList<>();
    final Set<String> finished = new LinkedHashSet<>();
    private final Set<Frame> written = new LinkedHashSet<>();
    private int stepsEntered;
    private int uuidCounter;

    Turn(WorkflowPlan plan, RunState state, Instant at, InterpreterLimits limits, SecretResolver secrets) {
        this.plan = plan;
        this.state = state;
        this.at = at;
        this.limits = limits;
        this.secrets = secrets;
    }

    Transition transition() {
        return new Transition(state, events, commands, List.copyOf(finished));
    }

    // ---- history

    void record(HistoryEvent.Type type, String step, ObjectNode data) {
        state.seq++;
        events.add(new HistoryEvent(state.seq, type, step, at, data));
    }

    static ObjectNode data() {
        return JSON.objectNode();
    }

    /** Counts a step entered in this turn; a runaway chain of instant steps is stopped. */
    void countStep() {
        if (++stepsEntered > limits.maxStepsPerSignal()) {
            throw new LimitBreach("more than " + limits.maxStepsPerSignal()
                    + " steps ran without waiting (limit maxStepsPerSignal): a loop of instant steps?");
        }
    }

    // ---- pending operations

    void pend(String opId, Frame frame, Pending.Kind kind) {
        state.pending.put(opId, new Pending(frame.id, kind, path(frame)));
    }

    /** Takes an answered operation off the run: its task is finished. */
    Pending consume(String opId) {
        Pending p = state.pending.remove(opId);
        if (p != null) {
            finished.add(opId);
        }
        return p;
    }

    /** Drops every operation of a frame's current step (timers, calls, waits); cancels a child run. */
    void dropOps(Frame frame) {
        var it = state.pending.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<String, Pending> e = it.next();
            if (e.getValue().frame().equals(frame.id)) {
                it.remove();
                finished.add(e.getKey());
                if (e.getValue().kind() == Pending.Kind.CHILD) {
                    commands.add(new Command.CancelChild(childRunId(e.getKey())));
                }
            }
        }
    }

    String childRunId(String opId) {
        return UUID.nameUUIDFromBytes((state.id + "/" + opId).getBytes(StandardCharsets.UTF_8)).toString();
    }

    String eventId(String stepPath) {
        return UUID.nameUUIDFromBytes((state.id + "/" + stepPath + "/emit").getBytes(StandardCharsets.UTF_8)).toString();
    }

    // ---- frames and paths

    /** The path of a frame's current step: {@code <frame>/<step>}, with {@code ~n} for the n-th visit of a loop. */
    static String path(Frame frame) {
        String step = frame.visit > 1 ? frame.step + "~" + frame.visit : frame.step;
        return frame.id.isEmpty() ? step : frame.id + "/" + step;
    }

    Frame frame(String id) {
        return state.frames.get(id);
    }

    Step step(Frame frame) {
        return plan.step(frame.step).step();
    }

    // ---- expressions

    EvalContext context(Frame frame) {
        return context(frame, state.event);
    }

    EvalContext context(Frame frame, JsonNode event) {
        EvalContext.Builder b = EvalContext.builder()
                .input(state.input)
                .data(frame.data)
                .event(event)
                .error(frame.caught)
                .run(runInfo())
                .now(at)
                .uuids(this::nextUuid)
                .secrets(secrets);
        if (frame.itemAlias != null) {
            b.item(frame.itemAlias, frame.item, frame.index);
        }
        return b.build();
    }

    private JsonNode runInfo() {
        ObjectNode run = JSON.objectNode();
        run.put("id", state.id);
        run.put("workflow", state.workflow);
        run.put("version", state.version);
        run.put("startedAt", state.startedAt.toString());
        return run;
    }

    /** uuid() is deterministic: the same run, history position and call order give the same value on replay. */
    private String nextUuid() {
        String seed = state.id + "/" + state.seq + "/" + (uuidCounter++);
        return UUID.nameUUIDFromBytes(seed.getBytes(StandardCharsets.UTF_8)).toString();
    }

    // ---- data

    /** Writes a value into a frame's data at a dotted path (creating objects on the way), and into what it contributes. */
    void write(Frame frame, ResultPath path, JsonNode value) {
        if (path.discards()) {
            return;
        }
        // a copy: an expression such as ${ data } answers the frame's own data, which must not end up inside itself
        JsonNode v = value == null ? JSON.nullNode() : value.isContainerNode() ? value.deepCopy() : value;
        put(frame.data, path, v);
        if (frame.writes != null) {
            put(frame.writes, path, v.deepCopy());
        }
        written.add(frame);
    }

    private static void put(ObjectNode root, ResultPath path, JsonNode value) {
        ObjectNode target = root;
        List<String> segments = path.segments();
        for (int i = 0; i < segments.size() - 1; i++) {
            JsonNode next = target.get(segments.get(i));
            if (next == null || !next.isObject()) {
                next = target.putObject(segments.get(i));
            }
            target = (ObjectNode) next;
        }
        target.set(segments.get(segments.size() - 1), value);
    }

    /** The size limit on data, checked once per turn over the frames written. */
    String oversizedData() {
        for (Frame f : written) {
            if (state.frames.get(f.id) == f && f.data.toString().length() > limits.maxDataBytes()) {
                return "the data of run '" + state.id + "' grew past " + limits.maxDataBytes()
                        + " bytes (limit maxDataBytes) at step '" + path(f) + "'";
            }
        }
        return null;
    }

    /** A limit of the run was exceeded mid-turn; the run fails with LimitExceeded. */
    static final class LimitBreach extends RuntimeException {
        private static final long serialVersionUID = 1L;

        LimitBreach(String message) {
            super(message, null, false, false);
        }
    }
}
