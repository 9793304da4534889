package dev.tributary.engine.store;

import static dev.tributary.engine.store.RunFixtures.T0;
import static dev.tributary.engine.store.RunFixtures.aCommit;
import static dev.tributary.engine.store.RunFixtures.aRun;
import static dev.tributary.engine.store.RunFixtures.aTask;
import static dev.tributary.engine.store.RunFixtures.aTimer;
import static dev.tributary.engine.store.RunFixtures.aWait;
import static dev.tributary.engine.store.RunFixtures.aWorkflowDocument;
import static dev.tributary.engine.store.RunFixtures.anEvent;
import static dev.tributary.engine.store.RunFixtures.anInvoke;
import static dev.tributary.engine.store.RunFixtures.event;
import static dev.tributary.engine.store.RunFixtures.json;
import static dev.tributary.engine.store.RunFixtures.starting;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.dsl.model.Kind;
import dev.tributary.engine.core.HistoryEvent;
import dev.tributary.engine.core.HistoryEvent.Type;
import dev.tributary.engine.core.RunStatus;
import dev.tributary.engine.store.RunFixtures.RunBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * What every {@link RunStore} must do. A backend's test extends this and says how to open an
 * empty store and how to open the same data again.
 */
abstract class RunStoreContract {

    protected RunStore store;

    /** A store with no data in it. */
    protected abstract RunStore openStore();

    /** A second store on the data of the last one opened (which the test has closed). */
    protected abstract RunStore reopenStore();

    @BeforeEach
    void open() {
        store = openStore();
    }

    @AfterEach
    void close() {
        store.close();
    }

    private void commit(RunCommit commit) {
        store.commit(commit).join();
    }

    private static Throwable failureOf(CompletableFuture<?> future) {
        try {
            future.join();
        } catch (CompletionException e) {
            return e.getCause();
        }
        throw new AssertionError("Expected the future to fail, but it completed");
    }

    @Nested
    class Definitions {

        @Test
        void aNewDefinitionGetsVersionOne() {
            // when
            List<DefinitionRecord> deployed = store.deploy(List.of(aWorkflowDocument("orders", "{\"workflow\":\"orders\",\"a\":1}")));

            // then
            assertThat(deployed).singleElement().satisfies(d -> {
                assertThat(d.version()).isEqualTo(1);
                assertThat(d.deleted()).isFalse();
                assertThat(d.deployedAt()).isEqualTo(T0);
            });
            assertThat(store.definition(Kind.WORKFLOW, "orders", 0)).contains(deployed.get(0));
            assertThat(store.definition(Kind.WORKFLOW, "orders", 1)).contains(deployed.get(0));
            assertThat(store.definition(Kind.FUNCTION, "orders", 0)).isEmpty();
        }

        @Test
        void anEqualDocumentKeepsTheNewestVersion() {
            // given
            store.deploy(List.of(aWorkflowDocument("orders", "{\"workflow\":\"orders\",\"a\":1,\"b\":[1,2]}")));

            // when: the same JSON, other key order and spacing
            List<DefinitionRecord> again = store.deploy(List.of(aWorkflowDocument("orders", "{ \"b\": [1, 2], \"a\": 1, \"workflow\": \"orders\" }")));

            // then
            assertThat(again).singleElement().extracting(DefinitionRecord::version).isEqualTo(1);
            assertThat(store.versions(Kind.WORKFLOW, "orders")).hasSize(1);
        }

        @Test
        void aChangedDocumentGetsTheNextVersionAndOldVersionsStay() {
            // given
            store.deploy(List.of(aWorkflowDocument("orders", "{\"a\":1}")));

            // when
            List<DefinitionRecord> changed = store.deploy(List.of(aWorkflowDocument("orders", "{\"a\":2}")));

            // then
            assertThat(changed).singleElement().extracting(DefinitionRecord::version).isEqualTo(2);
            assertThat(store.definition(Kind.WORKFLOW, "orders", 0)).get().extracting(DefinitionRecord::document).isEqualTo("{\"a\":2}");
            assertThat(store.definition(Kind.WORKFLOW, "orders", 1)).get().extracting(DefinitionRecord::document).isEqualTo("{\"a\":1}");
            assertThat(store.versions(Kind.WORKFLOW, "orders")).extracting(DefinitionRecord::version).containsExactly(1, 2);
        }

        @Test
        void deleteMarksEveryVersionDeletedButKeepsThemReadable() {
            // given
            store.deploy(List.of(aWorkflowDocument("orders", "{\"a\":1}")));
            store.deploy(List.of(aWorkflowDocument("orders", "{\"a\":2}")));

            // when
            boolean deleted = store.delete(Kind.WORKFLOW, "orders");

            // then
            assertThat(deleted).isTrue();
            assertThat(store.definition(Kind.WORKFLOW, "orders", 0)).isEmpty();
            assertThat(store.definition(Kind.WORKFLOW, "orders", 1)).get().extracting(DefinitionRecord::deleted).isEqualTo(true);
            assertThat(store.versions(Kind.WORKFLOW, "orders")).extracting(DefinitionRecord::deleted).containsExactly(true, true);
            assertThat(store.latestDefinitions()).isEmpty();
        }

        @Test
        void deletingWhatIsNotThereSaysSo() {
            // given
            store.deploy(List.of(aWorkflowDocument("orders", "{\"a\":1}")));
            store.delete(Kind.WORKFLOW, "orders");

            // when / then
            assertThat(store.delete(Kind.WORKFLOW, "orders")).isFalse();
            assertThat(store.delete(Kind.WORKFLOW, "unknown")).isFalse();
            assertThat(store.delete(Kind.FUNCTION, "orders")).isFalse();
        }

        @Test
        void aDeletedDefinitionRedeployedContinuesAfterItsHighestVersion() {
            // given
            store.deploy(List.of(aWorkflowDocument("orders", "{\"a\":1}")));
            store.deploy(List.of(aWorkflowDocument("orders", "{\"a\":2}")));
            store.delete(Kind.WORKFLOW, "orders");

            // when: even the same document as the deleted newest version
            List<DefinitionRecord> redeployed = store.deploy(List.of(aWorkflowDocument("orders", "{\"a\":2}")));

            // then
            assertThat(redeployed).singleElement().extracting(DefinitionRecord::version).isEqualTo(3);
            assertThat(store.definition(Kind.WORKFLOW, "orders", 0)).get().extracting(DefinitionRecord::version).isEqualTo(3);
            assertThat(store.versions(Kind.WORKFLOW, "orders")).extracting(DefinitionRecord::deleted).containsExactly(true, true, false);
        }

        @Test
        void latestDefinitionsAreTheNewestVersionsInDeployOrder() {
            // given
            store.deploy(List.of(
                    new DefinitionRecord.Draft(Kind.FUNCTION, "charge", "{\"f\":1}", T0),
                    aWorkflowDocument("orders", "{\"w\":1}"),
                    new DefinitionRecord.Draft(Kind.RULE, "on-paid", "{\"r\":1}", T0)));
            store.deploy(List.of(aWorkflowDocument("orders", "{\"w\":2}"), aWorkflowDocument("refunds", "{\"w\":1}")));
            store.delete(Kind.RULE, "on-paid");

            // when
            List<DefinitionRecord> latest = store.latestDefinitions();

            // then
            assertThat(latest).extracting(d -> d.kind() + " " + d.name() + " v" + d.version())
                    .containsExactly("FUNCTION charge v1", "WORKFLOW orders v2", "WORKFLOW refunds v1");
        }

        @Test
        void aDeploySetWithABadDocumentStoresNothing() {
            // when
            assertThatThrownBy(() -> store.deploy(List.of(aWorkflowDocument("orders", "{\"a\":1}"), aWorkflowDocument("bad", "{not json"))))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("workflow 'bad'");

            // then
            assertThat(store.latestDefinitions()).isEmpty();
        }
    }

    @Nested
    class Commits {

        @Test
        void theFirstCommitCreatesTheRunWithItsHistoryAndTasks() {
            // given
            RunRecord run = aRun("r-1").idempotencyKey("k-1").parent("p-1").build();
            RunCommit commit = aCommit(run).events(event(1, Type.RunStarted), event(2, Type.StepStarted))
                    .starting(anInvoke("r-1", "charge#1")).build();

            // when
            store.commit(commit).join();

            // then
            assertThat(store.run("r-1")).contains(run);
            assertThat(store.history("r-1", 0, 100)).containsExactlyElementsOf(commit.events());
            assertThat(store.dispatchableTasks()).containsExactly(anInvoke("r-1", "charge#1"));
        }

        @Test
        void aLaterCommitChangesTheRunWhenItsVersionIsTheExpectedOne() {
            // given
            RunRecord v1 = aRun("r-1").build();
            commit(starting(v1));
            RunRecord v2 = aRun("r-1").version(2).succeeded(json("total", 42), T0.plusSeconds(3)).state("{\"done\":true}").build();

            // when
            store.commit(aCommit(v2).events(event(2, Type.RunSucceeded)).build()).join();

            // then
            assertThat(store.run("r-1")).contains(v2);
            assertThat(store.history("r-1", 0, 10)).extracting(HistoryEvent::type).containsExactly(Type.RunStarted, Type.RunSucceeded);
        }

        @Test
        void aFailedRunKeepsItsError() {
            // given
            commit(starting(aRun("r-1").build()));
            RunRecord failed = aRun("r-1").version(2).failed(json("message", "card declined"), T0.plusSeconds(1)).build();

            // when
            commit(aCommit(failed).build());

            // then
            assertThat(store.run("r-1")).get().satisfies(r -> {
                assertThat(r.status()).isEqualTo(RunStatus.FAILED);
                assertThat(r.error()).isEqualTo(json("message", "card declined"));
                assertThat(r.output()).isNull();
            });
        }

        @Test
        void aCommitAtAStaleVersionFailsAndWritesNothing() {
            // given
            commit(starting(aRun("r-1").build()));
            commit(aCommit(aRun("r-1").version(2).build()).events(event(2, Type.StepStarted)).build());

            // when: a second owner still believes the run is at version 1
            RunRecord stale = aRun("r-1").version(2).status(RunStatus.WAITING).build();
            Throwable failure = failureOf(store.commit(aCommit(stale).events(event(3, Type.TimerStarted))
                    .starting(aTimer("r-1", "t", T0)).build()));

            // then
            assertThat(failure).isInstanceOf(ConcurrentUpdateException.class)
                    .hasMessageContaining("'r-1'").hasMessageContaining("version 1").hasMessageContaining("version 2");
            assertThat(store.run("r-1")).get().extracting(RunRecord::status).isEqualTo(RunStatus.RUNNING);
            assertThat(store.history("r-1", 0, 10)).hasSize(2);
            assertThat(store.timersDueBefore(T0.plusSeconds(1), 10)).isEmpty();
        }

        @Test
        void aCommitToARunThatDoesNotExistFails() {
            // when
            Throwable failure = failureOf(store.commit(aCommit(aRun("ghost").version(4).build()).build()));

            // then
            assertThat(failure).isInstanceOf(ConcurrentUpdateException.class).hasMessageContaining("no such run");
        }

        @Test
        void creatingARunWhoseIdExistsFails() {
            // given
            commit(starting(aRun("r-1").build()));

            // when
            Throwable failure = failureOf(store.commit(starting(aRun("r-1").workflow("other").build())));

            // then
            assertThat(failure).isInstanceOf(ConcurrentUpdateException.class).hasMessageContaining("'r-1'");
            assertThat(store.run("r-1")).get().extracting(RunRecord::workflow).isEqualTo("orders");
        }

        @Test
        void aNewRunWithATakenIdempotencyKeyNamesTheRunThatHasIt() {
            // given
            commit(starting(aRun("r-1").idempotencyKey("order-7").build()));

            // when
            Throwable failure = failureOf(store.commit(starting(aRun("r-2").idempotencyKey("order-7").build())));

            // then
            assertThat(failure).isInstanceOf(DuplicateRunException.class);
            assertThat(((DuplicateRunException) failure).existingRunId()).isEqualTo("r-1");
            assertThat(store.run("r-2")).isEmpty();
            assertThat(store.runByIdempotencyKey("orders", "order-7")).get().extracting(RunRecord::id).isEqualTo("r-1");
        }

        @Test
        void idempotencyKeysAreScopedToAWorkflowAndOptional() {
            // given
            commit(starting(aRun("r-1").idempotencyKey("k").build()));

            // when
            commit(starting(aRun("r-2").workflow("refunds").idempotencyKey("k").build()));
            commit(starting(aRun("r-3").build()));
            commit(starting(aRun("r-4").build()));

            // then
            assertThat(store.runByIdempotencyKey("refunds", "k")).get().extracting(RunRecord::id).isEqualTo("r-2");
            assertThat(store.runByIdempotencyKey("orders", "other")).isEmpty();
            assertThat(store.run("r-4")).isPresent();
        }

        @Test
        void aRunWhoseVersionDoesNotFollowTheExpectedOneIsRefused() {
            // when
            Throwable failure = failureOf(store.commit(aCommit(aRun("r-1").version(3).build()).expecting(0).build()));

            // then
            assertThat(failure).isInstanceOf(IllegalArgumentException.class);
            assertThat(store.run("r-1")).isEmpty();
        }

        @Test
        void instantsAndJsonRoundTrip() {
            // given
            Instant nanos = Instant.parse("2026-03-01T10:00:00.123456789Z");
            RunRecord run = aRun("r-1").startedAt(nanos).state("{\"x\":[1,\"two\",null,{\"y\":true}]}").build();

            // when
            commit(aCommit(run).events(new HistoryEvent(1, Type.RunStarted, null, nanos, null)).build());

            // then: to the microsecond
            RunRecord read = store.run("r-1").orElseThrow();
            assertThat(read.startedAt()).isEqualTo(Instant.parse("2026-03-01T10:00:00.123456Z"));
            assertThat(read.state()).isEqualTo(run.state());
            assertThat(read.input()).isEqualTo(run.input());
            assertThat(store.history("r-1", 0, 1)).singleElement().satisfies(e -> {
                assertThat(e.at()).isEqualTo(Instant.parse("2026-03-01T10:00:00.123456Z"));
                assertThat(e.data()).isNull();
                assertThat(e.step()).isNull();
            });
        }

        @Test
        void historyIsReadAfterASeqWithALimit() {
            // given
            RunRecord run = aRun("r-1").build();
            commit(aCommit(run).events(IntStream.rangeClosed(1, 10).mapToObj(i -> event(i, Type.StepStarted)).toArray(HistoryEvent[]::new))
                    .build());

            // when
            List<HistoryEvent> page = store.history("r-1", 3, 4);

            // then
            assertThat(page).extracting(HistoryEvent::seq).containsExactly(4L, 5L, 6L, 7L);
            assertThat(store.history("r-1", 10, 5)).isEmpty();
            assertThat(store.history("other", 0, 5)).isEmpty();
        }

        @Test
        void commitsSurviveReopeningTheStore() {
            // given
            commit(aCommit(aRun("r-1").build()).events(event(1, Type.RunStarted)).starting(aTimer("r-1", "t", T0)).build());
            store.acceptEvent(anEvent("e-1", T0)).join();
            store.close();

            // when
            store = reopenStore();

            // then
            assertThat(store.run("r-1")).isPresent();
            assertThat(store.history("r-1", 0, 10)).hasSize(1);
            assertThat(store.timersDueBefore(T0.plusSeconds(1), 10)).hasSize(1);
            assertThat(store.event("e-1")).isPresent();
        }
    }

    @Nested
    class GroupCommit {

        @Test
        void concurrentCommitsFromManyThreadsAreAllDurableAndInOrderPerRun() throws Exception {
            // given: 8 writers, each moving its own 10 runs through 5 commits
            int writers = 8;
            int runsEach = 10;
            int commitsEach = 5;
            ExecutorService pool = Executors.newFixedThreadPool(writers);
            List<Future<?>> done = new ArrayList<>();

            // when
            for (int w = 0; w < writers; w++) {
                int writer = w;
                done.add(pool.submit(() -> {
                    for (int r = 0; r < runsEach; r++) {
                        RunRecord run = aRun("w" + writer + "-r" + r).build();
                        store.commit(aCommit(run).events(event(1, Type.RunStarted)).build()).join();
                        for (int v = 2; v <= commitsEach; v++) {
                            run = RunBuilder.next(run);
                            store.commit(aCommit(run).events(event(v, Type.StepStarted)).build()).join();
                        }
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
            pool.shutdown();
            store.close();
            store = reopenStore();

            // then
            for (int w = 0; w < writers; w++) {
                for (int r = 0; r < runsEach; r++) {
                    String id = "w" + w + "-r" + r;
                    assertThat(store.run(id)).get().extracting(RunRecord::version).isEqualTo((long) commitsEach);
                    assertThat(store.history(id, 0, 100)).extracting(HistoryEvent::seq).containsExactly(1L, 2L, 3L, 4L, 5L);
                }
            }
        }

        @Test
        void commitsOfOneRunSubmittedWithoutWaitingApplyInOrder() {
            // given
            RunRecord run = aRun("r-1").build();
            List<CompletableFuture<Void>> futures = new ArrayList<>();
            futures.add(store.commit(aCommit(run).events(event(1, Type.RunStarted)).starting(aTimer("r-1", "t1", T0)).build()));

            // when: each commit builds on the previous one, which is not durable yet
            for (int v = 2; v <= 20; v++) {
                run = RunBuilder.next(run);
                futures.add(store.commit(aCommit(run).events(event(v, Type.StepStarted))
                        .finishing("t" + (v - 1)).starting(aTimer("r-1", "t" + v, T0)).build()));
            }
            CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).join();

            // then
            assertThat(store.run("r-1")).get().extracting(RunRecord::version).isEqualTo(20L);
            assertThat(store.history("r-1", 0, 100)).hasSize(20);
            assertThat(store.timersDueBefore(T0.plusSeconds(1), 100)).extracting(Task::id).containsExactly("t20");
        }

        @Test
        void oneBadCommitInAGroupFailsAloneAndTheOthersAreCommitted() {
            // given
            commit(starting(aRun("taken").idempotencyKey("k").build()));
            commit(starting(aRun("moved").build()));
            commit(aCommit(aRun("moved").version(2).build()).build());

            // when: submitted together, so they queue up behind each other and share groups
            List<CompletableFuture<Void>> good = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                good.add(store.commit(starting(aRun("good-" + i).build())));
                if (i == 30) {
                    good.add(store.commit(starting(aRun("other-key").idempotencyKey("k2").build())));
                }
            }
            CompletableFuture<Void> stale = store.commit(aCommit(aRun("moved").version(2).build()).build());
            CompletableFuture<Void> duplicateKey = store.commit(starting(aRun("copy").idempotencyKey("k").build()));
            CompletableFuture<Void> duplicateId = store.commit(starting(aRun("good-5").build()));
            for (int i = 100; i < 200; i++) {
                good.add(store.commit(starting(aRun("good-" + i).build())));
            }

            // then
            CompletableFuture.allOf(good.toArray(CompletableFuture[]::new)).join();
            assertThat(failureOf(stale)).isInstanceOf(ConcurrentUpdateException.class);
            assertThat(failureOf(duplicateKey)).isInstanceOf(DuplicateRunException.class);
            assertThat(failureOf(duplicateId)).isInstanceOf(ConcurrentUpdateException.class);
            for (int i = 0; i < 200; i++) {
                assertThat(store.run("good-" + i)).as("good-" + i).isPresent();
            }
            assertThat(store.run("other-key")).isPresent();
            assertThat(store.run("copy")).isEmpty();
        }

        @Test
        void closeWritesWhatIsQueuedFirst() {
            // given
            List<CompletableFuture<Void>> futures = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                futures.add(store.commit(starting(aRun("r-" + i).build())));
            }

            // when
            store.close();

            // then
            assertThat(futures).allSatisfy(f -> assertThat(f).isCompleted().isNotCompletedExceptionally());
            store = reopenStore();
            assertThat(store.runs(new RunQuery(null, null, 1000, null)).runs()).hasSize(300);
        }

        @Test
        void aClosedStoreRefusesCommits() {
            // given
            store.close();

            // when
            Throwable failure = failureOf(store.commit(starting(aRun("r-1").build())));

            // then
            assertThat(failure).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
            store = reopenStore();
        }

        @Test
        void aCallbackMayWaitForAnotherCommit() {
            // when: work chained on a commit's future commits again and waits for it
            CompletableFuture<Void> chained = store.commit(starting(aRun("r-1").build()))
                    .thenRun(() -> store.commit(starting(aRun("r-2").build())).join());

            // then
            assertThat(chained).succeedsWithin(Duration.ofSeconds(10));
            assertThat(store.run("r-2")).isPresent();
        }
    }

    @Nested
    class Tasks {

        @Test
        void dispatchableTasksAreAllButTimersAndWaits() {
            // given
            commit(aCommit(aRun("r-1").build()).starting(
                    aTask("r-1", "invoke", Task.Kind.INVOKE), aTask("r-1", "child", Task.Kind.CHILD),
                    aTask("r-1", "emit", Task.Kind.EMIT), aTask("r-1", "notify", Task.Kind.NOTIFY),
                    aTimer("r-1", "timer", T0), aWait("r-1", "wait", "order.paid", "o-1")).build());

            // when
            List<Task> dispatchable = store.dispatchableTasks();

            // then
            assertThat(dispatchable).extracting(Task::id).containsExactlyInAnyOrder("invoke", "child", "emit", "notify");
            assertThat(dispatchable).contains(aTask("r-1", "emit", Task.Kind.EMIT));
        }

        @Test
        void aCommitFinishesTasksAndAMissingOneIsNoError() {
            // given
            commit(aCommit(aRun("r-1").build()).starting(anInvoke("r-1", "a"), anInvoke("r-1", "b")).build());

            // when
            commit(aCommit(aRun("r-1").version(2).build()).finishing("a", "never-started").build());

            // then
            assertThat(store.dispatchableTasks()).extracting(Task::id).containsExactly("b");
        }

        @Test
        void aTaskStartedAgainKeepsTheFirstOne() {
            // given
            commit(aCommit(aRun("r-1").build()).starting(aTimer("r-1", "t", T0)).build());

            // when
            commit(aCommit(aRun("r-1").version(2).build()).starting(aTimer("r-1", "t", T0.plusSeconds(60))).build());

            // then
            assertThat(store.timersDueBefore(T0.plusSeconds(3600), 10)).containsExactly(aTimer("r-1", "t", T0));
        }

        @Test
        void aCommitMayFinishATaskAndStartOneWithTheSameId() {
            // given
            commit(aCommit(aRun("r-1").build()).starting(aTimer("r-1", "t", T0)).build());

            // when: the timer is re-armed
            commit(aCommit(aRun("r-1").version(2).build()).finishing("t").starting(aTimer("r-1", "t", T0.plusSeconds(60))).build());

            // then
            assertThat(store.timersDueBefore(T0.plusSeconds(3600), 10)).containsExactly(aTimer("r-1", "t", T0.plusSeconds(60)));
        }

        @Test
        void deleteTaskRemovesOneTask() {
            // given
            commit(aCommit(aRun("r-1").build()).starting(aTask("r-1", "emit", Task.Kind.EMIT), anInvoke("r-1", "b")).build());
            commit(aCommit(aRun("r-2").build()).starting(aTask("r-2", "emit", Task.Kind.EMIT)).build());

            // when
            store.deleteTask("r-1", "emit");
            store.deleteTask("r-1", "not-there");

            // then
            assertThat(store.dispatchableTasks()).extracting(t -> t.runId() + "/" + t.id()).containsExactlyInAnyOrder("r-1/b", "r-2/emit");
        }

        @Test
        void timersDueBeforeAnInstantComeEarliestFirst() {
            // given
            commit(aCommit(aRun("r-1").build()).starting(
                    aTimer("r-1", "late", T0.plusSeconds(30)), aTimer("r-1", "early", T0.plusSeconds(10)),
                    aTimer("r-1", "future", T0.plusSeconds(3600)), aWait("r-1", "w", "x", "y")).build());
            commit(aCommit(aRun("r-2").build()).starting(aTimer("r-2", "middle", T0.plusSeconds(20))).build());

            // when / then
            assertThat(store.timersDueBefore(T0.plusSeconds(60), 10)).extracting(Task::id).containsExactly("early", "middle", "late");
            assertThat(store.timersDueBefore(T0.plusSeconds(60), 2)).extracting(Task::id).containsExactly("early", "middle");
            assertThat(store.timersDueBefore(T0.plusSeconds(20), 10)).extracting(Task::id).containsExactly("early");
        }

        @Test
        void waitsAreFoundByTypeAndSubject() {
            // given
            commit(aCommit(aRun("r-1").build()).starting(aWait("r-1", "paid", "order.paid", "o-1"),
                    aWait("r-1", "any", "tick", null)).build());
            commit(aCommit(aRun("r-2").build()).starting(aWait("r-2", "paid", "order.paid", "o-1"),
                    aWait("r-2", "shipped", "order.shipped", "o-1")).build());

            // when / then
            assertThat(store.waitsFor("order.paid", "o-1")).extracting(Task::runId).containsExactly("r-1", "r-2");
            assertThat(store.waitsFor("order.paid", "o-1").get(0)).isEqualTo(aWait("r-1", "paid", "order.paid", "o-1"));
            assertThat(store.waitsFor("order.paid", "o-2")).isEmpty();
            assertThat(store.waitsFor("tick", null)).extracting(Task::id).containsExactly("any");
            assertThat(store.waitsFor("order.shipped", null)).isEmpty();
        }
    }

    @Nested
    class EventInbox {

        @Test
        void anEventIsAcceptedOnceAndReadBack() {
            // given
            InboxEvent event = anEvent("e-1", T0);

            // when
            boolean first = store.acceptEvent(event).join();
            boolean again = store.acceptEvent(anEvent("e-1", T0.plusSeconds(5))).join();

            // then
            assertThat(first).isTrue();
            assertThat(again).isFalse();
            assertThat(store.event("e-1")).contains(event);
            assertThat(store.event("e-2")).isEmpty();
        }

        @Test
        void theSameEventAcceptedConcurrentlyIsNewExactlyOnce() {
            // when
            List<CompletableFuture<Boolean>> accepted = IntStream.range(0, 50)
                    .mapToObj(i -> CompletableFuture.supplyAsync(() -> store.acceptEvent(anEvent("e-1", T0)).join()))
                    .toList();

            // then
            assertThat(accepted.stream().map(CompletableFuture::join)).containsOnlyOnce(true);
        }

        @Test
        void unroutedEventsComeOldestFirstUntilMarkedRouted() {
            // given
            store.acceptEvent(anEvent("b", T0.plusSeconds(2))).join();
            store.acceptEvent(anEvent("a", T0.plusSeconds(1))).join();
            store.acceptEvent(anEvent("c", T0.plusSeconds(3))).join();

            // when
            store.markRouted("b");

            // then
            assertThat(store.unroutedEvents(10)).extracting(InboxEvent::id).containsExactly("a", "c");
            assertThat(store.unroutedEvents(1)).extracting(InboxEvent::id).containsExactly("a");
            assertThat(store.event("b")).isPresent();
        }

        @Test
        void eventsAndCommitsShareGroups() {
            // when
            List<CompletableFuture<?>> futures = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                futures.add(store.commit(starting(aRun("r-" + i).build())));
                futures.add(store.acceptEvent(anEvent("e-" + (i % 25), T0)));
            }
            CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).join();

            // then
            assertThat(futures.stream().filter(f -> Boolean.TRUE.equals(f.join()))).hasSize(25);
            assertThat(store.unroutedEvents(100)).hasSize(25);
        }
    }

    @Nested
    class Listing {

        private void startRuns() {
            // 25 runs a second apart, three of them in the same microsecond
            for (int i = 0; i < 25; i++) {
                Instant at = i >= 10 && i < 13 ? T0.plusSeconds(10) : T0.plusSeconds(i);
                commit(starting(aRun(String.format("r-%02d", i)).workflow(i % 2 == 0 ? "even" : "odd")
                        .status(i % 5 == 0 ? RunStatus.WAITING : RunStatus.RUNNING).startedAt(at).build()));
            }
        }

        @Test
        void runsArePagedNewestFirst() {
            // given
            startRuns();

            // when
            List<String> seen = new ArrayList<>();
            String cursor = null;
            int pages = 0;
            do {
                RunPage page = store.runs(new RunQuery(null, null, 10, cursor));
                page.runs().forEach(r -> seen.add(r.id()));
                cursor = page.cursor();
                pages++;
            } while (cursor != null);

            // then
            assertThat(pages).isEqualTo(3);
            List<String> expected = new ArrayList<>(IntStream.range(0, 25).mapToObj(i -> String.format("r-%02d", i)).toList());
            java.util.Collections.reverse(expected);
            assertThat(seen).containsExactlyElementsOf(expected);
        }

        @Test
        void aFullLastPageHasNoCursor() {
            // given
            startRuns();

            // when
            RunPage page = store.runs(new RunQuery(null, null, 25, null));

            // then
            assertThat(page.runs()).hasSize(25);
            assertThat(page.cursor()).isNull();
        }

        @Test
        void runsAreFilteredByWorkflowAndStatus() {
            // given
            startRuns();

            // when
            RunPage even = store.runs(new RunQuery("even", null, 100, null));
            RunPage waiting = store.runs(new RunQuery(null, RunStatus.WAITING, 100, null));
            RunPage evenWaiting = store.runs(new RunQuery("even", RunStatus.WAITING, 2, null));

            // then
            assertThat(even.runs()).hasSize(13).allSatisfy(r -> assertThat(r.workflow()).isEqualTo("even"));
            assertThat(waiting.runs()).extracting(RunRecord::id).containsExactly("r-20", "r-15", "r-10", "r-05", "r-00");
            assertThat(evenWaiting.runs()).extracting(RunRecord::id).containsExactly("r-20", "r-10");
            assertThat(store.runs(new RunQuery("even", RunStatus.WAITING, 2, evenWaiting.cursor())).runs())
                    .extracting(RunRecord::id).containsExactly("r-00");
        }

        @Test
        void aCursorThatNoPageReturnedIsRefused() {
            assertThatThrownBy(() -> store.runs(new RunQuery(null, null, 10, "not a cursor")))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cursor");
        }
    }
}
