package dev.tributary.engine.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.dsl.model.Ref;
import dev.tributary.engine.core.Command;
import dev.tributary.engine.core.ErrorInfo;
import dev.tributary.engine.core.RunState;
import dev.tributary.engine.core.RunStatus;
import dev.tributary.engine.store.Task;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns the interpreter's commands into durable tasks (the outbox) and reads them back: the
 * payload holds everything the {@link Dispatcher} needs, so a task re-dispatched after a restart
 * is carried out exactly as the first time. The payload field names are a stored format.
 */
final class CommandTasks {

    /** The id of the task that tells a parent run this run ended; one per run. */
    static final String ENDED = "ended";
    static final String EMIT_PREFIX = "emit:";
    static final String CANCEL_PREFIX = "cancel:";

    private CommandTasks() {
    }

    /** The tasks for a committed transition's commands (RunEnded without a parent has none). */
    static List<Task> tasks(RunState state, List<Command> commands) {
        List<Task> tasks = new ArrayList<>();
        for (Command command : commands) {
            Task task = task(state, command);
            if (task != null) {
                tasks.add(task);
            }
        }
        return tasks;
    }

    private static Task task(RunState state, Command command) {
        String runId = state.id();
        if (command instanceof Command.InvokeFunction c) {
            ObjectNode p = Json.object();
            p.put("function", c.function().name()).put("functionVersion", c.function().version());
            p.set("input", c.input());
            p.put("step", c.step()).put("attempt", c.attempt()).put("idempotencyKey", c.idempotencyKey());
            if (c.timeout() != null) {
                p.put("timeoutMs", c.timeout().toMillis());
            }
            return new Task(runId, c.opId(), Task.Kind.INVOKE, null, null, null, p);
        }
        if (command instanceof Command.StartTimer c) {
            return new Task(runId, c.timerId(), Task.Kind.TIMER, c.dueAt(), null, null, Json.object());
        }
        if (command instanceof Command.AwaitEvent c) {
            return new Task(runId, c.waitId(), Task.Kind.WAIT, null, c.type(), c.key(), Json.object());
        }
        if (command instanceof Command.StartChild c) {
            ObjectNode p = Json.object();
            p.put("childRunId", c.childRunId()).put("workflow", c.workflow().name()).put("workflowVersion", c.workflow().version());
            p.set("input", c.input());
            return new Task(runId, c.opId(), Task.Kind.CHILD, null, null, null, p);
        }
        if (command instanceof Command.Emit c) {
            ObjectNode p = Json.object();
            p.put("eventId", c.eventId()).put("type", c.type()).put("subject", c.subject()).put("workflow", state.workflow());
            p.set("data", c.data());
            return new Task(runId, EMIT_PREFIX + c.eventId(), Task.Kind.EMIT, null, null, null, p);
        }
        if (command instanceof Command.CancelChild c) {
            // durable like the rest: a crash right after the parent moved on must not leave the child running
            return new Task(runId, CANCEL_PREFIX + c.childRunId(), Task.Kind.CANCEL, null, null, null,
                    Json.object().put("childRunId", c.childRunId()));
        }
        if (command instanceof Command.RunEnded c && state.parentRunId() != null) {
            ObjectNode p = Json.object();
            p.put("parentRunId", state.parentRunId()).put("parentOpId", state.parentOpId()).put("status", c.status().name());
            p.set("output", c.output());
            p.set("error", c.error() == null ? null : c.error().toJson());
            return new Task(runId, ENDED, Task.Kind.NOTIFY, null, null, null, p);
        }
        return null;
    }

    record Invoke(String runId, String opId, Ref function, JsonNode input, String step, int attempt, String idempotencyKey,
                  Duration timeout) {

        static Invoke of(Task task) {
            JsonNode p = task.payload();
            Duration timeout = p.hasNonNull("timeoutMs") ? Duration.ofMillis(p.get("timeoutMs").asLong()) : null;
            return new Invoke(task.runId(), task.id(), new Ref(p.path("function").asText(), p.path("functionVersion").asInt()),
                    p.get("input"), text(p, "step"), p.path("attempt").asInt(1), text(p, "idempotencyKey"), timeout);
        }
    }

    record Child(String parentRunId, String opId, String childRunId, Ref workflow, JsonNode input) {

        static Child of(Task task) {
            JsonNode p = task.payload();
            return new Child(task.runId(), task.id(), p.path("childRunId").asText(),
                    new Ref(p.path("workflow").asText(), p.path("workflowVersion").asInt()), p.get("input"));
        }
    }

    record Emit(String runId, String eventId, String type, String subject, String workflow, JsonNode data) {

        static Emit of(Task task) {
            JsonNode p = task.payload();
            return new Emit(task.runId(), p.path("eventId").asText(), p.path("type").asText(), text(p, "subject"),
                    text(p, "workflow"), p.get("data"));
        }
    }

    record Notify(String runId, String parentRunId, String parentOpId, RunStatus status, JsonNode output, ErrorInfo error) {

        static Notify of(Task task) {
            JsonNode p = task.payload();
            return new Notify(task.runId(), p.path("parentRunId").asText(), p.path("parentOpId").asText(),
                    RunStatus.valueOf(p.path("status").asText()), p.get("output"), ErrorInfo.fromJson(p.get("error")));
        }
    }

    private static String text(JsonNode payload, String field) {
        JsonNode value = payload.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
