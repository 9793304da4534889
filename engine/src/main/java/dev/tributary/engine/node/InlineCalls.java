package dev.tributary.engine.node;

import dev.tributary.dsl.model.FunctionDef;
import dev.tributary.dsl.model.Kind;
import dev.tributary.engine.core.Command;
import dev.tributary.engine.core.Interpreter;
import dev.tributary.engine.core.Signal;
import dev.tributary.engine.core.Transition;
import dev.tributary.engine.core.WorkflowPlan;
import dev.tributary.functions.BuiltInFunctions;
import dev.tributary.functions.FunctionInvoker;
import dev.tributary.functions.Invocation;
import dev.tributary.functions.Activation;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Answers calls of pure in-process functions ({@code expr}) inside the transition that makes
 * them, so a step chain of expressions costs one commit instead of two per call. Safe because
 * such a function has no side effects: if the commit is lost, the whole transition — call and
 * answer — is simply made again. The answer is recorded in the history like any other, but not
 * as an activation: an expression has no process, memory or duration worth metering, and a
 * second write per call halved the engine's throughput on H2 (README, "SPEC deviations").
 * Calls that do not answer at once (any other runtime) go out as tasks as usual.
 */
final class InlineCalls {

    /** A bound on answers per transition, so a loop of instant calls cannot hold a shard thread. */
    private static final int MAX_INLINE = 1000;

    private final Definitions definitions;
    private final FunctionInvoker functions;
    private final Interpreter interpreter;
    private final Clock clock;
    private final RunIds ids;

    InlineCalls(Definitions definitions, FunctionInvoker functions, RunIds ids, Interpreter interpreter, Clock clock) {
        this.definitions = definitions;
        this.functions = functions;
        this.ids = ids;
        this.interpreter = interpreter;
        this.clock = clock;
    }

    Transition settle(WorkflowPlan plan, Transition transition) {
        Transition t = transition;
        for (int i = 0; i < MAX_INLINE; i++) {
            Command.InvokeFunction call = null;
            Signal answer = null;
            for (Command c : t.commands()) {
                if (c instanceof Command.InvokeFunction invoke) {
                    answer = answer(t, invoke).orElse(null);
                    if (answer != null) {
                        call = invoke;
                        break;
                    }
                }
            }
            if (call == null) {
                return t;
            }
            t = merge(t, call, interpreter.step(plan, t.state(), answer));
        }
        return t;
    }

    private Optional<Signal> answer(Transition t, Command.InvokeFunction call) {
        String name = call.function().name();
        if (BuiltInFunctions.isBuiltIn(name)) {
            return Optional.empty();
        }
        Optional<Definitions.Deployed> deployed = definitions.version(Kind.FUNCTION, name, call.function().version());
        if (deployed.isEmpty() || !(deployed.get().definition() instanceof FunctionDef f) || f.runtime() != FunctionDef.Runtime.EXPR) {
            return Optional.empty();
        }
        Invocation invocation = new Invocation(f, deployed.get().version(), call.input(), ids.next(), call.idempotencyKey(),
                call.attempt(), t.state().id(), call.step(), call.timeout());
        Activation activation = functions.invoke(invocation).getNow(null);
        if (activation == null) {
            return Optional.empty();
        }
        return Optional.of(CallAnswers.signal(call.opId(), activation.result(), clock.instant()));
    }

    /**
     * One transition doing what both did. Work the first asked for and the second already
     * finished (the answered call, a call timeout's timer) is neither stored nor dispatched.
     */
    private static Transition merge(Transition first, Command.InvokeFunction answered, Transition second) {
        Set<String> finishedNow = new LinkedHashSet<>(second.finishedTasks());
        List<Command> commands = new ArrayList<>();
        Set<String> dropped = new LinkedHashSet<>();
        for (Command c : first.commands()) {
            String id = taskId(c);
            if (c == answered || (id != null && finishedNow.contains(id))) {
                dropped.add(id);
            } else {
                commands.add(c);
            }
        }
        commands.addAll(second.commands());
        Set<String> finished = new LinkedHashSet<>(first.finishedTasks());
        for (String id : finishedNow) {
            if (!dropped.contains(id)) {
                finished.add(id);
            }
        }
        List<dev.tributary.engine.core.HistoryEvent> events = new ArrayList<>(first.events());
        events.addAll(second.events());
        return new Transition(second.state(), events, commands, List.copyOf(finished));
    }

    private static String taskId(Command c) {
        if (c instanceof Command.InvokeFunction x) {
            return x.opId();
        } else if (c instanceof Command.StartTimer x) {
            return x.timerId();
        } else if (c instanceof Command.AwaitEvent x) {
            return x.waitId();
        } else if (c instanceof Command.StartChild x) {
            return x.opId();
        }
        return null;
    }
}
