package dev.tributary.engine.node;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tributary.dsl.model.FunctionDef;
import dev.tributary.dsl.model.Kind;
import dev.tributary.engine.core.Command;
import dev.tributary.engine.core.ErrorInfo;
import dev.tributary.engine.core.RunId;
import dev.tributary.engine.core.RunStatus;
import dev.tributary.engine.core.Signal;
import dev.tributary.engine.core.WorkflowPlan;
import dev.tributary.engine.store.RunStore;
import dev.tributary.engine.store.Task;
import dev.tributary.functions.BuiltInFunctions;
import dev.tributary.functions.FunctionInvoker;
import dev.tributary.functions.Invocation;
import dev.tributary.functions.InvocationResult;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out durable tasks after their commit (and again on recovery): runs functions, starts
 * child runs, publishes emitted events, tells parents their child ended, arms timers. Answers go
 * back to the {@link RunDriver} as signals. Work runs on the dispatch pool, never on a shard thread.
 */
final class Dispatcher implements RunDriver.CommitListener {

    private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);

    private final RunStore store;
    private final RunDriver driver;
    private final Definitions definitions;
    private final FunctionInvoker functions;
    private final InputSchemas schemas;
    private final TimerService timers;
    private final EventRouter router;
    private final RunWatchers watchers;
    private final Clock clock;
    private final Executor pool;
    private final ActivationSink activations;
    private final RunIds ids;

    Dispatcher(NodeParts parts, TimerService timers, EventRouter router, Executor pool) {
        this.store = parts.store();
        this.driver = parts.driver();
        this.definitions = parts.definitions();
        this.functions = parts.functions();
        this.schemas = parts.schemas();
        this.watchers = parts.watchers();
        this.clock = parts.clock();
        this.activations = parts.activations();
        this.ids = parts.ids();
        this.timers = timers;
        this.router = router;
        this.pool = pool;
    }

    @Override
    public void committed(RunDriver.Committed committed) {
        committed.tasks().forEach(this::dispatch);
        for (Command command : committed.commands()) {
            if (command instanceof Command.RunEnded) {
                watchers.ended(RunViews.of(committed.state()), committed.state().event());
            }
        }
    }

    /** Carries out one task; safe to call again for the same task (after a restart). */
    void dispatch(Task task) {
        if (task.kind() == Task.Kind.TIMER) {
            timers.schedule(task.runId(), task.id(), task.dueAt());
            return;
        }
        if (task.kind() == Task.Kind.WAIT) {
            return; // the store indexes it; the EventRouter finds it when a matching event arrives
        }
        try {
            pool.execute(() -> {
                try {
                    carryOut(task);
                } catch (RuntimeException e) {
                    logged(task.kind() + " task '" + task.id() + "' of run '" + task.runId() + "'", e);
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.debug("Not dispatching task '{}' of run '{}': the node is shutting down", task.id(), task.runId());
        }
    }

    private void carryOut(Task task) {
        switch (task.kind()) {
            case INVOKE -> invoke(CommandTasks.Invoke.of(task));
            case CHILD -> startChild(CommandTasks.Child.of(task));
            case EMIT -> emit(task, CommandTasks.Emit.of(task));
            case NOTIFY -> notifyParent(task, CommandTasks.Notify.of(task));
            case CANCEL -> cancelChild(task);
            default -> throw new IllegalStateException("Expected a task to carry out, but got a " + task.kind() + " task");
        }
    }

    private void invoke(CommandTasks.Invoke call) {
        String name = call.function().name();
        Optional<Definitions.Deployed> deployed = BuiltInFunctions.isBuiltIn(name) ? Optional.empty()
                : definitions.version(Kind.FUNCTION, name, call.function().version());
        FunctionDef function = BuiltInFunctions.isBuiltIn(name) ? BuiltInFunctions.definition(name)
                : deployed.map(d -> (FunctionDef) d.definition()).orElse(null);
        if (function == null) {
            answer(call, new InvocationResult.Failure(ErrorInfo.FUNCTION_NOT_FOUND, "function '" + call.function() + "' is not deployed"));
            return;
        }
        int version = deployed.map(Definitions.Deployed::version).orElse(0);
        Invocation invocation = new Invocation(function, version, call.input(), ids.next(), call.idempotencyKey(),
                call.attempt(), call.runId(), call.step(), call.timeout());
        functions.invoke(invocation).thenAccept(activation -> {
            activations.record(activation);
            answer(call, activation.result());
        });
    }

    private void answer(CommandTasks.Invoke call, InvocationResult result) {
        Signal signal = CallAnswers.signal(call.opId(), result, clock.instant());
        driver.signal(call.runId(), signal).exceptionally(e -> logged("answer call '" + call.opId() + "' of run '" + call.runId() + "'", e));
    }

    private void startChild(CommandTasks.Child child) {
        Optional<WorkflowPlan> plan = definitions.plan(child.workflow().name(), child.workflow().version());
        if (plan.isEmpty()) {
            childFailed(child, ErrorInfo.of(ErrorInfo.CHILD_FAILED, "workflow '" + child.workflow() + "' is not deployed"));
            return;
        }
        JsonNode input = child.input() == null ? Json.object() : child.input();
        try {
            schemas.check(plan.get(), input);
        } catch (EngineException e) {
            childFailed(child, ErrorInfo.of(ErrorInfo.INPUT_INVALID, e.getMessage()));
            return;
        }
        WorkflowPlan p = plan.get();
        Signal.Start start = new Signal.Start(new RunId(child.childRunId(), p.name(), p.version()), input, null,
                new Signal.Parent(child.parentRunId(), child.opId()), clock.instant());
        driver.start(new RunDriver.StartRun(p, start, null))
                .exceptionally(e -> logged("start child run '" + child.childRunId() + "'", e));
    }

    private void childFailed(CommandTasks.Child child, ErrorInfo error) {
        driver.signal(child.parentRunId(), new Signal.ChildEnded(child.opId(), RunStatus.FAILED, null, error, clock.instant()))
                .exceptionally(e -> logged("fail child step '" + child.opId() + "' of run '" + child.parentRunId() + "'", e));
    }

    private void emit(Task task, CommandTasks.Emit emit) {
        router.publish(EmittedEvents.cloudEvent(emit, clock.instant())).started()
                .thenRunAsync(() -> store.deleteTask(task.runId(), task.id()), pool)
                .exceptionally(e -> logged("emit event '" + emit.eventId() + "' of run '" + emit.runId() + "'", e));
    }

    private void notifyParent(Task task, CommandTasks.Notify ended) {
        Signal signal = new Signal.ChildEnded(ended.parentOpId(), ended.status(), ended.output(), ended.error(), clock.instant());
        driver.signal(ended.parentRunId(), signal).handleAsync((state, error) -> {
            if (error == null || isNotFound(error)) {
                store.deleteTask(task.runId(), task.id());
            } else {
                logged("tell run '" + ended.parentRunId() + "' that child run '" + ended.runId() + "' ended", error);
            }
            return null;
        }, pool);
    }

    private void cancelChild(Task task) {
        String child = task.payload().path("childRunId").asText();
        driver.signal(child, new Signal.Cancel("its parent run no longer needs it", clock.instant())).handleAsync((state, error) -> {
            if (error == null || isNotFound(error)) {
                store.deleteTask(task.runId(), task.id());
            } else {
                logged("cancel child run '" + child + "' of run '" + task.runId() + "'", error);
            }
            return null;
        }, pool);
    }

    private static boolean isNotFound(Throwable error) {
        Throwable cause = error.getCause() != null ? error.getCause() : error;
        return cause instanceof EngineException e && e.code() == EngineException.Code.NOT_FOUND;
    }

    /** Logs work that could not be done now; its task stays in the store, so the next start does it again. */
    private static <T> T logged(String what, Throwable error) {
        Throwable cause = error.getCause() != null ? error.getCause() : error;
        if (cause instanceof RejectedExecutionException
                || (cause instanceof EngineException e && e.code() == EngineException.Code.UNAVAILABLE)) {
            LOG.debug("Could not {} while the node stops: {}", what, cause.toString());
        } else {
            LOG.warn("Could not {}: {}", what, cause.toString());
        }
        return null;
    }
}
