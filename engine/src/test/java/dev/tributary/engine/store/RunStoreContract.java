package dev.tributary.engine.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tributary.dsl.model.Kind;
import dev.tributary.engine.core.HistoryEvent;
import dev.tributary.engine.core.RunStatus;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link RunStore} must do; run against H2 and PostgreSQL. */
abstract class RunStoreContract {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00.123456Z");

    protected RunStore store;

    /** A fresh, empty store. */
    protected abstract RunStore openStore() throws Exception;

    /** The same database opened again (after {@link RunStore#close()}). */
    protected abstract RunStore reopenStore() throws Exception;

    @BeforeEach
    void open() throws Exception {
        store = openStore();
    }

    @AfterEach
    void close() {
        store.close();
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    static RunRecord aRun(String id, long version, RunStatus status) {
        return new RunRecord(id, "orders", 1, status, null, null, json("{\"n\":1}"), null, null, T0, null, version,
                "{\"id\":\"" + id + "\",\"v\":" + version + "}");
    }

    static HistoryEvent anEvent(long seq, HistoryEvent.Type type) {
        return new HistoryEvent(seq, type, type == HistoryEvent.Type.RunStarted ? null : "charge", T0.plusMillis(seq),
                json("{\"seq\":" + seq + "}"));
    }

    static Task aTimer(String runId, String id, Instant due) {
        return new Task(runId, id, Task.Kind.TIMER, due, null, null, null);
    }

    @Test
    void aCommittedRunIsReadBackWithItsHistoryAndTasks() {
        // given
        RunRecord run = aRun("r-1", 1, RunStatus.RUNNING);
        Task invoke = new Task("r-1", "charge#1", Task.Kind.INVOKE, null, null, null, json("{\"function\":\"f\"}"));
        // when
        store.commit(new RunCommit(run, 0, List.of(anEvent(1, HistoryEvent.Type.RunStarted), anEvent(2, HistoryEvent.Type.StepStarted)),
                List.of(invoke), List.of())).join();
        // then
        assertThat(store.run("r-1")).contains(run);
        assertThat(store.history("r-1", 0, 100)).extracting(HistoryEvent::seq).containsExactly(1L, 2L);
        assertThat(store.history("r-1", 0, 100).get(0)).isEqualTo(anEvent(1, HistoryEvent.Type.RunStarted));
        assertThat(store.history("r-1", 1, 100)).extracting(HistoryEvent::seq).containsExactly(2L);
        assertThat(store.dispatchableTasks()).containsExactly(invoke);
        assertThat(store.run("nope")).isEmpty();
    }

    @Test
    void anUpdateAppliesOnlyOnTheExpectedVersionAndFinishesTasks() {
        store.commit(new RunCommit(aRun("r-1", 1, RunStatus.RUNNING), 0, List.of(), List.of(aTimer("r-1", "t", T0)), List.of())).join();
        RunRecord ended = new RunRecord("r-1", "orders", 1, RunStatus.SUCCEEDED, null, null, json("{\"n\":1}"),
                json("{\"ok\":true}"), null, T0, T0.plusSeconds(1), 2, "{}");
        // when
        store.commit(new RunCommit(ended, 1, List.of(anEvent(1, HistoryEvent.Type.RunSucceeded)), List.of(), List.of("t", "missing"))).join();
        // then
        assertThat(store.run("r-1")).contains(ended);
        assertThat(store.timersDueBefore(T0.plusSeconds(10), 10)).isEmpty();
        // and a stale writer is fenced off
        assertThatThrownBy(() -> store.commit(new RunCommit(aRun("r-1", 2, RunStatus.RUNNING), 1, List.of(), List.of(), List.of())).join())
                .isInstanceOf(CompletionException.class).hasCauseInstanceOf(ConcurrentUpdateException.class);
        assertThatThrownBy(() -> store.commit(new RunCommit(aRun("r-1", 1, RunStatus.RUNNING), 0, List.of(), List.of(), List.of())).join())
                .hasCauseInstanceOf(ConcurrentUpdateException.class);
        assertThat(store.run("r-1")).contains(ended);
    }

    @Test
    void anIdempotencyKeyStartsOneRunPerWorkflow() {
        RunRecord first = new RunRecord("r-1", "orders", 1, RunStatus.RUNNING, null, "key-1", null, null, null, T0, null, 1, "{}");
        RunRecord second = new RunRecord("r-2", "orders", 1, RunStatus.RUNNING, null, "key-1", null, null, null, T0, null, 1, "{}");
        RunRecord other = new RunRecord("r-3", "invoices", 1, RunStatus.RUNNING, null, "key-1", null, null, null, T0, null, 1, "{}");
        store.commit(new RunCommit(first, 0, List.of(), List.of(), List.of())).join();
        assertThatThrownBy(() -> store.commit(new RunCommit(second, 0, List.of(), List.of(), List.of())).join())
                .hasCauseInstanceOf(DuplicateRunException.class)
                .satisfies(e -> assertThat(((DuplicateRunException) e.getCause()).existingRunId()).isEqualTo("r-1"));
        store.commit(new RunCommit(other, 0, List.of(), List.of(), List.of())).join();
        assertThat(store.runByIdempotencyKey("orders", "key-1")).map(RunRecord::id).contains("r-1");
        assertThat(store.runByIdempotencyKey("orders", "key-2")).isEmpty();
    }

    @Test
    void concurrentCommitsFromManyThreadsAreAllDurableAndInOrderPerRun() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<CompletableFuture<Void>> runs = new ArrayList<>();
            for (int r = 0; r < 40; r++) {
                String id = "r-" + r;
                runs.add(CompletableFuture.runAsync(() -> {
                    store.commit(new RunCommit(aRun(id, 1, RunStatus.RUNNING), 0, List.of(anEvent(1, HistoryEvent.Type.RunStarted)),
                            List.of(), List.of())).join();
                    for (int v = 2; v <= 10; v++) {
                        // each commit queued without waiting for the previous one: the group keeps their order
                        store.commit(new RunCommit(aRun(id, v, RunStatus.RUNNING), v - 1,
                                List.of(anEvent(v, HistoryEvent.Type.StepStarted)), List.of(), List.of()));
                    }
                    store.commit(new RunCommit(aRun(id, 11, RunStatus.SUCCEEDED), 10,
                            List.of(anEvent(11, HistoryEvent.Type.RunSucceeded)), List.of(), List.of())).join();
                }, pool));
            }
            CompletableFuture.allOf(runs.toArray(CompletableFuture[]::new)).join();
        } finally {
            pool.shutdownNow();
        }
        store.close();
        store = reopenStore();
        for (int r = 0; r < 40; r++) {
            assertThat(store.run("r-" + r).orElseThrow().version()).isEqualTo(11);
            assertThat(store.history("r-" + r, 0, 100)).hasSize(11);
        }
    }

    @Test
    void oneBadCommitInAGroupFailsAloneAndTheOthersCommit() {
        store.commit(new RunCommit(aRun("r-0", 1, RunStatus.RUNNING), 0, List.of(), List.of(), List.of())).join();
        List<CompletableFuture<Void>> group = new ArrayList<>();
        for (int r = 1; r <= 20; r++) {
            group.add(store.commit(new RunCommit(aRun("r-" + r, 1, RunStatus.RUNNING), 0, List.of(), List.of(), List.of())));
            if (r == 10) {
                group.add(store.commit(new RunCommit(aRun("r-0", 5, RunStatus.RUNNING), 4, List.of(), List.of(), List.of())));
            }
        }
        CompletableFuture<Void> bad = group.remove(10);
        assertThatThrownBy(bad::join).hasCauseInstanceOf(ConcurrentUpdateException.class);
        CompletableFuture.allOf(group.toArray(CompletableFuture[]::new)).join();
        assertThat(store.runs(new RunQuery(null, null, 100, null)).runs()).hasSize(21);
    }

    @Test
    void timersComeEarliestFirstAndWaitsByTypeAndKey() {
        Task late = aTimer("r-1", "late", T0.plusSeconds(30));
        Task early = aTimer("r-1", "early", T0.plusSeconds(1));
        Task wait = new Task("r-1", "review/event", Task.Kind.WAIT, null, "review.decided", "o-1", null);
        Task keyless = new Task("r-1", "any/event", Task.Kind.WAIT, null, "ping", null, null);
        store.commit(new RunCommit(aRun("r-1", 1, RunStatus.WAITING), 0, List.of(), List.of(late, early, wait, keyless), List.of())).join();
        assertThat(store.timersDueBefore(T0.plusSeconds(60), 10)).containsExactly(early, late);
        assertThat(store.timersDueBefore(T0.plusSeconds(10), 10)).containsExactly(early);
        assertThat(store.timersDueBefore(T0.plusSeconds(60), 1)).containsExactly(early);
        assertThat(store.waitsFor("review.decided", "o-1")).extracting(Task::id).containsExactly("review/event");
        assertThat(store.waitsFor("review.decided", "o-2")).isEmpty();
        assertThat(store.waitsFor("ping", null)).extracting(Task::id).containsExactly("any/event");
        assertThat(store.dispatchableTasks()).isEmpty();
        store.deleteTask("r-1", "early");
        assertThat(store.timersDueBefore(T0.plusSeconds(60), 10)).containsExactly(late);
    }

    @Test
    void eventsAreAcceptedOnceAndRoutedOnce() {
        InboxEvent e = new InboxEvent("evt-1", "order.placed", "o-1", "shop", T0, json("{\"id\":\"evt-1\",\"type\":\"order.placed\"}"));
        assertThat(store.acceptEvent(e).join()).isTrue();
        assertThat(store.acceptEvent(e).join()).isFalse();
        List<CompletableFuture<Boolean>> same = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            same.add(store.acceptEvent(new InboxEvent("evt-2", "t", null, "s", T0.plusSeconds(1), json("{}"))));
        }
        assertThat(same.stream().filter(CompletableFuture::join).count()).isEqualTo(1);
        assertThat(store.unroutedEvents(10)).extracting(InboxEvent::id).containsExactly("evt-1", "evt-2");
        store.markRouted("evt-1");
        assertThat(store.unroutedEvents(10)).extracting(InboxEvent::id).containsExactly("evt-2");
        assertThat(store.event("evt-1")).contains(e);
    }

    @Test
    void definitionsGetANewVersionOnlyWhenTheyChange() {
        Instant at = T0.truncatedTo(ChronoUnit.MILLIS);
        var v1 = store.deploy(List.of(new DefinitionRecord.Draft(Kind.WORKFLOW, "w", "{\"workflow\":\"w\",\"steps\":[]}", at),
                new DefinitionRecord.Draft(Kind.FUNCTION, "f", "{\"function\":\"f\"}", at)));
        assertThat(v1).extracting(DefinitionRecord::version).containsExactly(1, 1);
        var same = store.deploy(List.of(new DefinitionRecord.Draft(Kind.WORKFLOW, "w", "{\"steps\":[], \"workflow\":\"w\"}", at)));
        assertThat(same).extracting(DefinitionRecord::version).containsExactly(1);
        var changed = store.deploy(List.of(new DefinitionRecord.Draft(Kind.WORKFLOW, "w", "{\"workflow\":\"w\",\"steps\":[1]}", at)));
        assertThat(changed).extracting(DefinitionRecord::version).containsExactly(2);
        assertThat(store.definition(Kind.WORKFLOW, "w", 0).orElseThrow().version()).isEqualTo(2);
        assertThat(store.definition(Kind.WORKFLOW, "w", 1).orElseThrow().document()).contains("\"steps\":[]");
        assertThat(store.latestDefinitions()).extracting(d -> d.name() + "@" + d.version()).containsExactly("f@1", "w@2");
        // deleted: gone from the latest, old versions still readable, a redeploy continues the numbering
        assertThat(store.delete(Kind.WORKFLOW, "w")).isTrue();
        assertThat(store.delete(Kind.WORKFLOW, "w")).isFalse();
        assertThat(store.definition(Kind.WORKFLOW, "w", 0)).isEmpty();
        assertThat(store.definition(Kind.WORKFLOW, "w", 2)).isPresent();
        assertThat(store.latestDefinitions()).extracting(DefinitionRecord::name).containsExactly("f");
        var again = store.deploy(List.of(new DefinitionRecord.Draft(Kind.WORKFLOW, "w", "{\"workflow\":\"w\",\"steps\":[1]}", at)));
        assertThat(again).extracting(DefinitionRecord::version).containsExactly(3);
        assertThat(store.versions(Kind.WORKFLOW, "w")).extracting(DefinitionRecord::version).containsExactly(1, 2, 3);
    }

    @Test
    void runsArePagedNewestFirstAndFiltered() {
        for (int i = 0; i < 7; i++) {
            RunRecord r = new RunRecord("r-" + i, i % 2 == 0 ? "even" : "odd", 1, i < 3 ? RunStatus.SUCCEEDED : RunStatus.RUNNING,
                    null, null, null, null, null, T0.plusSeconds(i / 2), null, 1, "{}");
            store.commit(new RunCommit(r, 0, List.of(), List.of(), List.of())).join();
        }
        RunPage first = store.runs(new RunQuery(null, null, 3, null));
        RunPage second = store.runs(new RunQuery(null, null, 3, first.cursor()));
        RunPage third = store.runs(new RunQuery(null, null, 3, second.cursor()));
        assertThat(first.runs()).extracting(RunRecord::id).containsExactly("r-6", "r-5", "r-4");
        assertThat(second.runs()).extracting(RunRecord::id).containsExactly("r-3", "r-2", "r-1");
        assertThat(third.runs()).extracting(RunRecord::id).containsExactly("r-0");
        assertThat(third.cursor()).isNull();
        assertThat(store.runs(new RunQuery("even", RunStatus.RUNNING, 10, null)).runs()).extracting(RunRecord::id)
                .containsExactly("r-6", "r-4");
    }
}
