package dev.tributary.engine.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.dsl.expr.Expressions;
import dev.tributary.dsl.expr.SecretResolver;
import dev.tributary.dsl.load.DefinitionLoader;
import dev.tributary.dsl.load.LoadResult;
import dev.tributary.dsl.load.SourceText;
import dev.tributary.dsl.model.WorkflowDef;
import dev.tributary.dsl.source.ParseLimits;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Drives the interpreter without threads, store or clock: the test plays the outside world.
 * Functions are Java lambdas answering at once (or {@link #HOLD} to leave a call unanswered),
 * timers fire when the test moves the clock, events are delivered by {@link #publish}. Every
 * signal fed to a run is applied exactly as a node would, and the history is kept for replay.
 */
final class ManualDriver {

    static final ObjectMapper JSON = new ObjectMapper();
    /** A function answer meaning "do not answer yet". */
    static final JsonNode HOLD = JSON.getNodeFactory().textNode("<hold>");

    /** What a test function throws to fail with a given error type. */
    static final class FunctionFailure extends RuntimeException {
        final String type;

        FunctionFailure(String type, String message) {
            super(message);
            this.type = type;
        }
    }

    final Interpreter interpreter;
    private final Map<String, WorkflowPlan> plans = new HashMap<>();
    private final Map<String, Function<JsonNode, JsonNode>> functions = new HashMap<>();
    final Map<String, RunState> runs = new LinkedHashMap<>();
    final Map<String, List<HistoryEvent>> histories = new HashMap<>();
    final Map<String, List<Command>> commands = new HashMap<>();
    /** Calls waiting for an answer, by "runId opId". */
    final Map<String, Command.InvokeFunction> heldCalls = new LinkedHashMap<>();
    final List<Command.InvokeFunction> invocations = new ArrayList<>();
    final List<Command.Emit> emitted = new ArrayList<>();
    private final Map<String, Instant> timers = new LinkedHashMap<>();
    private final Map<String, Command.AwaitEvent> waits = new LinkedHashMap<>();
    private final Deque<Runnable> work = new ArrayDeque<>();
    Instant now = Instant.parse("2026-01-01T00:00:00Z");
    private int runCounter;

    ManualDriver(String yaml) {
        this(yaml, InterpreterLimits.DEFAULTS);
    }

    /** Every driver made on this thread since the last {@link #madeSince} call: tests replay their runs afterwards. */
    private static final ThreadLocal<List<ManualDriver>> MADE = ThreadLocal.withInitial(ArrayList::new);

    static List<ManualDriver> madeSince() {
        List<ManualDriver> made = List.copyOf(MADE.get());
        MADE.get().clear();
        return made;
    }

    ManualDriver(String yaml, InterpreterLimits limits) {
        MADE.get().add(this);
        this.interpreter = new Interpreter(limits, SecretResolver.NONE);
        LoadResult loaded = new DefinitionLoader(Expressions.sandboxed(), ParseLimits.defaults())
                .load(List.of(new SourceText("test.yaml", yaml)), (kind, name) -> true);
        if (!loaded.ok()) {
            throw new IllegalArgumentException("test workflow does not load: " + loaded.problems());
        }
        loaded.definitions().stream().filter(d -> d instanceof WorkflowDef)
                .forEach(d -> plans.put(d.name(), WorkflowPlan.of((WorkflowDef) d, 1)));
    }

    ManualDriver function(String name, Function<JsonNode, JsonNode> body) {
        functions.put(name, body);
        return this;
    }

    WorkflowPlan plan(String workflow) {
        return plans.get(workflow);
    }

    String start(String workflow, String inputJson) {
        String id = "r" + (++runCounter);
        apply(id, plans.get(workflow), new Signal.Start(new RunId(id, workflow, 1), json(inputJson), null, null, now));
        drain();
        return id;
    }

    RunState run(String id) {
        return runs.get(id);
    }

    List<HistoryEvent> history(String id) {
        return histories.get(id);
    }

    /** Moves the clock and fires every timer now due, earliest first. */
    void tick(Duration d) {
        now = now.plus(d);
        while (true) {
            var due = timers.entrySet().stream().filter(e -> !e.getValue().isAfter(now))
                    .min(Map.Entry.comparingByValue(Comparator.naturalOrder())).orElse(null);
            if (due == null) {
                return;
            }
            timers.remove(due.getKey());
            String[] key = due.getKey().split(" ", 2);
            signal(key[0], new Signal.TimerFired(key[1], now));
        }
    }

    /** Delivers an event to the waits registered for its type and subject. */
    void publish(String type, String subject, String dataJson) {
        ObjectNode event = JSON.createObjectNode().put("specversion", "1.0").put("id", "e-" + type + "-" + subject)
                .put("source", "test").put("type", type).put("subject", subject);
        event.set("data", json(dataJson));
        for (var e : List.copyOf(waits.entrySet())) {
            Command.AwaitEvent w = e.getValue();
            if (w.type().equals(type) && java.util.Objects.equals(w.key(), subject)) {
                String[] key = e.getKey().split(" ", 2);
                signal(key[0], new Signal.EventReceived(key[1], event, now));
            }
        }
    }

    void cancel(String runId) {
        signal(runId, new Signal.Cancel("asked by test", now));
    }

    /** Answers a held call. */
    void answer(String runId, String opId, JsonNode result) {
        heldCalls.remove(runId + " " + opId);
        signal(runId, new Signal.CallSucceeded(opId, result, now));
    }

    void signal(String runId, Signal signal) {
        RunState state = runs.get(runId);
        apply(runId, plans.get(state.workflow()), signal);
        drain();
    }

    private void apply(String runId, WorkflowPlan plan, Signal signal) {
        Transition t = interpreter.step(plan, runs.get(runId), signal);
        if (!t.changed()) {
            return;
        }
        runs.put(runId, t.state());
        histories.computeIfAbsent(runId, k -> new ArrayList<>()).addAll(t.events());
        commands.computeIfAbsent(runId, k -> new ArrayList<>()).addAll(t.commands());
        for (String finished : t.finishedTasks()) {
            timers.remove(runId + " " + finished);
            waits.remove(runId + " " + finished);
            heldCalls.remove(runId + " " + finished);
        }
        for (Command c : t.commands()) {
            carryOut(runId, t.state(), c);
        }
    }

    private void carryOut(String runId, RunState state, Command c) {
        if (c instanceof Command.InvokeFunction call) {
            invocations.add(call);
            work.add(() -> invoke(runId, call));
        } else if (c instanceof Command.StartTimer timer) {
            timers.put(runId + " " + timer.timerId(), timer.dueAt());
        } else if (c instanceof Command.AwaitEvent await) {
            waits.put(runId + " " + await.waitId(), await);
        } else if (c instanceof Command.StartChild child) {
            work.add(() -> apply(child.childRunId(), plans.get(child.workflow().name()), new Signal.Start(
                    new RunId(child.childRunId(), child.workflow().name(), 1), child.input(), null,
                    new Signal.Parent(runId, child.opId()), now)));
        } else if (c instanceof Command.CancelChild cancel) {
            work.add(() -> {
                if (runs.containsKey(cancel.childRunId())) {
                    apply(cancel.childRunId(), plans.get(runs.get(cancel.childRunId()).workflow()),
                            new Signal.Cancel("parent no longer waits", now));
                }
            });
        } else if (c instanceof Command.Emit emit) {
            emitted.add(emit);
        } else if (c instanceof Command.RunEnded ended && state.parentRunId() != null) {
            work.add(() -> apply(state.parentRunId(), plans.get(runs.get(state.parentRunId()).workflow()),
                    new Signal.ChildEnded(state.parentOpId(), ended.status(), ended.output(), ended.error(), now)));
        }
    }

    private void invoke(String runId, Command.InvokeFunction call) {
        Function<JsonNode, JsonNode> body = functions.get(call.function().name());
        Signal answer;
        try {
            if (body == null) {
                throw new FunctionFailure("FunctionNotFound", "no function " + call.function());
            }
            JsonNode result = body.apply(call.input());
            if (result == HOLD) {
                heldCalls.put(runId + " " + call.opId(), call);
                return;
            }
            answer = new Signal.CallSucceeded(call.opId(), result, now);
        } catch (FunctionFailure f) {
            answer = new Signal.CallFailed(call.opId(), ErrorInfo.of(f.type, f.getMessage()), now);
        }
        apply(runId, plans.get(runs.get(runId).workflow()), answer);
    }

    private void drain() {
        while (!work.isEmpty()) {
            work.poll().run();
        }
    }

    Map<String, Instant> timers() {
        return timers;
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** Starts run {@code id}'s workflow "w" with the same input in a fresh driver and gives its first emitted event id. */
    String emittedIdFor(String id) {
        runCounter = Integer.parseInt(id.substring(1)) - 1;
        start("w", "{\"id\": \"o-1\", \"total\": 5}");
        return emitted.get(0).eventId();
    }
}
