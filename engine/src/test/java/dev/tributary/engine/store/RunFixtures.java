package dev.tributary.engine.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.dsl.model.Kind;
import dev.tributary.engine.core.HistoryEvent;
import dev.tributary.engine.core.RunStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Builders for the records a store keeps: {@code aRun("r-1").status(WAITING).build()}, {@code aCommit(run).events(...)}. */
final class RunFixtures {

    /** Microseconds on purpose: the store keeps them. */
    static final Instant T0 = Instant.parse("2026-03-01T10:00:00.123456Z");

    private RunFixtures() {
    }

    static ObjectNode json(String field, int value) {
        return JsonNodeFactory.instance.objectNode().put(field, value);
    }

    static ObjectNode json(String field, String value) {
        return JsonNodeFactory.instance.objectNode().put(field, value);
    }

    static RunBuilder aRun(String id) {
        return new RunBuilder(id);
    }

    static CommitBuilder aCommit(RunRecord run) {
        return new CommitBuilder(run);
    }

    /** The first commit of a new run, with its RunStarted event. */
    static RunCommit starting(RunRecord run) {
        return aCommit(run).events(event(1, HistoryEvent.Type.RunStarted)).build();
    }

    static HistoryEvent event(long seq, HistoryEvent.Type type) {
        return new HistoryEvent(seq, type, type.name().startsWith("Step") ? "step-" + seq : null, T0.plusMillis(seq),
                json("seq", (int) seq));
    }

    static Task anInvoke(String runId, String id) {
        return new Task(runId, id, Task.Kind.INVOKE, null, null, null, json("function", "charge"));
    }

    static Task aTask(String runId, String id, Task.Kind kind) {
        return new Task(runId, id, kind, null, null, null, json("kind", kind.name()));
    }

    static Task aTimer(String runId, String id, Instant dueAt) {
        return new Task(runId, id, Task.Kind.TIMER, dueAt, null, null, json("timer", id));
    }

    static Task aWait(String runId, String id, String type, String key) {
        return new Task(runId, id, Task.Kind.WAIT, null, type, key, json("wait", id));
    }

    static InboxEvent anEvent(String id, Instant receivedAt) {
        ObjectNode envelope = JsonNodeFactory.instance.objectNode().put("specversion", "1.0").put("id", id)
                .put("type", "order.paid").put("source", "/shop").put("subject", "o-1");
        envelope.set("data", json("amount", 42));
        return new InboxEvent(id, "order.paid", "o-1", "/shop", receivedAt, envelope);
    }

    static DefinitionRecord.Draft aWorkflowDocument(String name, String document) {
        return new DefinitionRecord.Draft(Kind.WORKFLOW, name, document, T0);
    }

    static final class RunBuilder {
        private final String id;
        private String workflow = "orders";
        private int workflowVersion = 1;
        private RunStatus status = RunStatus.RUNNING;
        private String parentRunId;
        private String idempotencyKey;
        private JsonNode input = json("order", "o-1");
        private JsonNode output;
        private JsonNode error;
        private Instant startedAt = T0;
        private Instant endedAt;
        private long version = 1;
        private String state = "{\"steps\":{}}";

        private RunBuilder(String id) {
            this.id = id;
        }

        RunBuilder workflow(String name) {
            this.workflow = name;
            return this;
        }

        RunBuilder status(RunStatus value) {
            this.status = value;
            return this;
        }

        RunBuilder parent(String runId) {
            this.parentRunId = runId;
            return this;
        }

        RunBuilder idempotencyKey(String key) {
            this.idempotencyKey = key;
            return this;
        }

        RunBuilder startedAt(Instant at) {
            this.startedAt = at;
            return this;
        }

        RunBuilder version(long value) {
            this.version = value;
            return this;
        }

        RunBuilder state(String json) {
            this.state = json;
            return this;
        }

        /** Ended successfully with {@code result}. */
        RunBuilder succeeded(JsonNode result, Instant at) {
            this.status = RunStatus.SUCCEEDED;
            this.output = result;
            this.endedAt = at;
            return this;
        }

        RunBuilder failed(JsonNode why, Instant at) {
            this.status = RunStatus.FAILED;
            this.error = why;
            this.endedAt = at;
            return this;
        }

        RunRecord build() {
            return new RunRecord(id, workflow, workflowVersion, status, parentRunId, idempotencyKey, input, output, error,
                    startedAt, endedAt, version, state);
        }

        /** The same run one commit later. */
        static RunRecord next(RunRecord run) {
            return new RunRecord(run.id(), run.workflow(), run.workflowVersion(), run.status(), run.parentRunId(),
                    run.idempotencyKey(), run.input(), run.output(), run.error(), run.startedAt(), run.endedAt(),
                    run.version() + 1, "{\"at\":" + (run.version() + 1) + "}");
        }
    }

    static final class CommitBuilder {
        private final RunRecord run;
        private long expectedVersion;
        private final List<HistoryEvent> events = new ArrayList<>();
        private final List<Task> newTasks = new ArrayList<>();
        private final List<String> finishedTasks = new ArrayList<>();

        private CommitBuilder(RunRecord run) {
            this.run = run;
            this.expectedVersion = run.version() - 1;
        }

        CommitBuilder expecting(long version) {
            this.expectedVersion = version;
            return this;
        }

        CommitBuilder events(HistoryEvent... values) {
            events.addAll(Arrays.asList(values));
            return this;
        }

        CommitBuilder starting(Task... tasks) {
            newTasks.addAll(Arrays.asList(tasks));
            return this;
        }

        CommitBuilder finishing(String... taskIds) {
            finishedTasks.addAll(Arrays.asList(taskIds));
            return this;
        }

        RunCommit build() {
            return new RunCommit(run, expectedVersion, events, newTasks, finishedTasks);
        }
    }
}
