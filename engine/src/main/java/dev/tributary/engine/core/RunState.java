package dev.tributary.engine.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Everything the interpreter knows about one run, persisted after every transition: identity,
 * status, input, data, output or error, the frames executing step lists (the root list, each
 * parallel branch, each foreach iteration) and the operations the run waits on.
 *
 * <p>Only {@link Interpreter} changes a state, and only on a private copy ({@link #copy()}), so a
 * state handed out is never mutated afterwards. {@link RunStateCodec} reads and writes it as JSON.
 */
public final class RunState {

    String id;
    String workflow;
    int version;
    RunStatus status;
    JsonNode input;
    /** The event that started the run, replaced by the one that last resumed a {@code wait: event}. */
    JsonNode event;

    /** The event that started the run or last resumed it, or null. */
    public JsonNode event() {
        return event;
    }
    JsonNode output;
    ErrorInfo error;
    Instant startedAt;
    Instant endedAt;
    String parentRunId;
    String parentOpId;
    /** The seq of the last history event written. */
    long seq;
    /** Frames by id: "" is the root list; children are named {@code <owner step>[<slot>]} under their parent. */
    Map<String, Frame> frames = new LinkedHashMap<>();
    /** Operations the run waits on, by id: calls, child runs, timers, event waits. */
    Map<String, Pending> pending = new LinkedHashMap<>();

    RunState() {
    }

    public String id() {
        return id;
    }

    public String workflow() {
        return workflow;
    }

    public int version() {
        return version;
    }

    public RunStatus status() {
        return status;
    }

    public JsonNode input() {
        return input;
    }

    /** The run's data: the root frame's, or the last data the run had once it ended. */
    public JsonNode data() {
        Frame root = frames.get(Frame.ROOT);
        return root == null ? finalData : root.data;
    }

    public JsonNode output() {
        return output;
    }

    public ErrorInfo error() {
        return error;
    }

    public Instant startedAt() {
        return startedAt;
    }

    public Instant endedAt() {
        return endedAt;
    }

    public String parentRunId() {
        return parentRunId;
    }

    public String parentOpId() {
        return parentOpId;
    }

    public long seq() {
        return seq;
    }

    /** Operation ids the run waits on, in the order they started. */
    public java.util.Set<String> pendingIds() {
        return java.util.Collections.unmodifiableSet(pending.keySet());
    }

    /** Kept when the root frame is gone (after the run ended), so the run's data stays readable. */
    JsonNode finalData;

    /** A deep copy the interpreter may change (by hand: a JSON round trip per signal costs several times more). */
    RunState copy() {
        RunState c = new RunState();
        c.id = id;
        c.workflow = workflow;
        c.version = version;
        c.status = status;
        c.input = input; // never changed: the root frame works on its own copy
        c.event = event;
        c.output = output;
        c.error = error;
        c.startedAt = startedAt;
        c.endedAt = endedAt;
        c.parentRunId = parentRunId;
        c.parentOpId = parentOpId;
        c.seq = seq;
        c.finalData = finalData;
        frames.forEach((k, f) -> c.frames.put(k, f.copy()));
        c.pending.putAll(pending);
        return c;
    }

    /** One step list being executed: the root, a parallel branch or a foreach iteration. */
    static final class Frame {
        static final String ROOT = "";

        String id;
        /** The parent frame's id; null for the root. */
        String parent;
        /** The parallel or foreach step that owns this frame; null for the root. */
        String owner;
        /** Branch index (parallel) or iteration index (foreach). */
        int slot;
        ObjectNode data;
        /** What this frame's own steps wrote (its contribution to the owner's result); null for the root. */
        ObjectNode writes;
        /** The foreach element this frame sees (inherited by the branches and iterations inside it). */
        String itemAlias;
        JsonNode item;
        int index;
        /** The error object of the last catch in this frame, visible as {@code error}. */
        JsonNode caught;
        /** The step being executed, and which visit of it (1 for the first; loops visit again). */
        String step;
        int visit;
        StepStatus stepStatus;
        int attempt;
        /** The call or child input of the current attempt, kept so a retry sends the same input. */
        JsonNode callInput;
        /** A parallel or foreach step in progress. */
        Fanout fanout;
        Map<String, Integer> visits = new LinkedHashMap<>();

        Frame copy() {
            Frame c = new Frame();
            c.id = id;
            c.parent = parent;
            c.owner = owner;
            c.slot = slot;
            c.data = data.deepCopy();
            c.writes = writes == null ? null : writes.deepCopy();
            c.itemAlias = itemAlias;
            c.item = item;
            c.index = index;
            c.caught = caught;
            c.step = step;
            c.visit = visit;
            c.stepStatus = stepStatus;
            c.attempt = attempt;
            c.callInput = callInput;
            c.fanout = fanout == null ? null : fanout.copy();
            c.visits.putAll(visits);
            return c;
        }
    }

    /** Progress of a parallel or foreach step: which slots run, which are done, their results. */
    static final class Fanout {
        int total;
        int started;
        int running;
        int succeeded;
        int failed;
        /** The items of a foreach, as evaluated when the step started; null for parallel. */
        JsonNode items;
        /** One entry per slot: the slot's result, null until it succeeds (and for failed iterations). */
        com.fasterxml.jackson.databind.node.ArrayNode results;
        /** Child frame ids by slot while they run. */
        Map<Integer, String> children = new LinkedHashMap<>();
        /** The first error of a slot: what a failed step fails with. */
        ErrorInfo firstError;
        /** The outcome is known (a failure past tolerance, a winner, a timeout): start no more slots. */
        boolean decided;
        /** The branch that won a parallel {@code any}, or -1. */
        int winner = -1;
        /** Set while slots are being started, so slots that end at once do not start more recursively. */
        boolean pumping;

        Fanout copy() {
            Fanout c = new Fanout();
            c.total = total;
            c.started = started;
            c.running = running;
            c.succeeded = succeeded;
            c.failed = failed;
            c.items = items;
            c.results = results.deepCopy();
            c.children.putAll(children);
            c.firstError = firstError;
            c.decided = decided;
            c.winner = winner;
            c.pumping = pumping;
            return c;
        }
    }

    /** An operation the run waits on. */
    record Pending(String frame, Kind kind, String step) {
        enum Kind {
            CALL, CHILD, RETRY_TIMER, CALL_TIMEOUT, WAIT_TIMER, EVENT, EVENT_TIMEOUT, STEP_TIMEOUT, RUN_TIMEOUT;

            boolean isExecuting() {
                return this == CALL || this == CHILD;
            }
        }
    }
}
