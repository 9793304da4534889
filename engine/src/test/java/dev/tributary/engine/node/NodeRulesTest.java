package dev.tributary.engine.node;

import static dev.tributary.engine.node.NodeFixture.get;
import static dev.tributary.engine.node.NodeFixture.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.connectors.Delivery;
import dev.tributary.connectors.TriggerEvents;
import dev.tributary.engine.core.RunStatus;
import dev.tributary.engine.store.InboxEvent;
import dev.tributary.engine.store.JdbcRunStore;
import dev.tributary.engine.store.RunQuery;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rules (SPEC §2.6) on a real node over H2: matching, if/with, call or workflow, enable/disable, once per event. */
class NodeRulesTest {

    private static final String ORDERS = """
            trigger: order-events
            event: order.*
            ---
            function: double
            runtime: expr
            expr: ${ input.total * 2 }
            ---
            workflow: big-order
            steps:
              - name: note
                set: { seen: "${ data.orderId }", type: "${ event?.type }" }
            ---
            rule: big-orders
            trigger: order-events
            if: ${ event.data.total > 100 }
            workflow: big-order
            with: { orderId: "${ event.data.id }", kind: "${ event.type }" }
            ---
            rule: doubled
            trigger: order-events
            call: double
            """;

    @TempDir
    Path dataDir;
    private NodeFixture fixture;
    private Node node;

    @BeforeEach
    void startNode() {
        fixture = new NodeFixture(dataDir);
        node = fixture.start();
        node.deploy(TestWorkflows.files(ORDERS));
    }

    @AfterEach
    void closeNode() {
        fixture.close();
    }

    @Test
    void aMatchingEventStartsTheRulesWorkflowWithTheMappedInputAndCallsTheFunction() {
        // when
        Delivery delivery = get(node.sink().accept(event("e-1", "order.created", "{\"id\": \"o-1\", \"total\": 150}")));

        // then
        assertThat(delivery.succeeded()).isTrue();
        assertThat(delivery.outcomes()).extracting(Delivery.RuleOutcome::rule).containsExactly("big-orders", "doubled");
        Delivery.RuleOutcome run = delivery.outcomes().get(0);
        RunView ended = fixture.awaitEnd(run.runId());
        assertThat(ended.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(ended.input()).isEqualTo(json("{\"orderId\": \"o-1\", \"kind\": \"order.created\"}"));
        assertThat(ended.data().path("type").asText()).as("the run sees the event that started it").isEqualTo("order.created");
        assertThat(delivery.outcomes().get(1).result()).isEqualTo(json("300"));
    }

    @Test
    void aFalseIfSkipsTheRuleAndAnUnmatchedTypeFiresNothing() {
        // when
        Delivery small = get(node.sink().accept(event("e-1", "order.created", "{\"id\": \"o-1\", \"total\": 5}")));
        Delivery other = get(node.sink().accept(event("e-2", "invoice.created", "{\"id\": \"i-1\", \"total\": 500}")));

        // then
        assertThat(small.outcomes()).extracting(Delivery.RuleOutcome::rule).containsExactly("doubled");
        assertThat(other.outcomes()).isEmpty();
        assertThat(node.runs(new RunQuery(null, null, 10, null)).runs()).isEmpty();
    }

    @Test
    void anEventFiresEachRuleOnceWhenSentTwice() {
        // when
        Engine.EventReceipt first = get(node.publish(event("e-1", "order.paid", "{\"id\": \"o-1\", \"total\": 150}")));
        Engine.EventReceipt again = get(node.publish(event("e-1", "order.paid", "{\"id\": \"o-1\", \"total\": 150}")));

        // then
        assertThat(first.rules()).containsExactly("big-orders", "doubled");
        assertThat(first.runs()).hasSize(1);
        assertThat(again.duplicate()).isTrue();
        assertThat(again.rules()).isEmpty();
        assertThat(node.runs(new RunQuery(null, null, 10, null)).runs()).hasSize(1);
    }

    @Test
    void aDisabledRuleDoesNotFireUntilEnabledAgainAndTheChangeOutlivesARestart() {
        // when
        RuleInfo disabled = node.setRuleEnabled("doubled", false);
        node = fixture.restart();
        Engine.EventReceipt whileDisabled = get(node.publish(event("e-1", "order.paid", "{\"id\": \"o-1\", \"total\": 1}")));
        node.setRuleEnabled("doubled", true);
        Engine.EventReceipt enabled = get(node.publish(event("e-2", "order.paid", "{\"id\": \"o-2\", \"total\": 1}")));

        // then
        assertThat(disabled.enabled()).isFalse();
        assertThat(disabled.version()).isEqualTo(2);
        assertThat(whileDisabled.rules()).isEmpty();
        assertThat(enabled.rules()).containsExactly("doubled");
        assertThat(node.rules()).filteredOn(r -> r.name().equals("doubled")).extracting(RuleInfo::enabled).containsExactly(true);
    }

    @Test
    void anEventAcceptedButNotRoutedBeforeACrashFiresItsRulesOnRestartOnceAndFindsTheRunItStarted() {
        // given: the event is in the inbox, the rule's run was started, the routing was never marked (a crash)
        node.close();
        ObjectNode event = event("e-1", "order.paid", "{\"id\": \"o-1\", \"total\": 150}");
        try (JdbcRunStore store = fixture.store()) {
            assertThat(get(store.acceptEvent(new InboxEvent("e-1", "order.paid", null, null, fixture.clock.instant(), event)))).isTrue();
        }
        node = fixture.start();
        RunView startedBefore = get(node.startRun("big-order", json("{\"orderId\": \"o-1\"}"), "e-1/big-orders"));

        // when
        node = fixture.restart();
        node = fixture.restart();

        // then
        assertThat(node.runs(new RunQuery(null, null, 10, null)).runs()).extracting(RunView::id).containsExactly(startedBefore.id());
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            try (JdbcRunStore store = fixture.store()) {
                assertThat(store.firings("e-1")).extracting(f -> f.rule() + ":" + f.runId())
                        .containsExactly("big-orders:" + startedBefore.id(), "doubled:null");
            }
        });
    }

    @Test
    void anEventAFailureLeftUnroutedIsRoutedByTheNextSweepOnceItIsOlderThanTheSweepInterval() {
        // given: a node whose store fails to record the routing of the first event
        node.close();
        JdbcRunStore jdbc = fixture.store();
        FlakyStore store = new FlakyStore(jdbc, Integer.MAX_VALUE, FlakyStore.Mode.LOST);
        node = Node.start(fixture.config(), store, jdbc.activations(), dev.tributary.functions.Functions.withDefaults(fixture.clock));
        store.routingFails = true;
        Engine.EventReceipt receipt = get(node.publish(event("e-1", "order.paid", "{\"id\": \"o-1\", \"total\": 150}")));
        await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.unroutedEvents(10).size() == 1);
        store.routingFails = false;

        // when: a sweep before the interval has passed leaves it (it may still be in flight); one after it routes it
        node.sweepUnrouted();
        int unroutedBefore = jdbc.unroutedEvents(10).size();
        fixture.clock.tick(EventRouter.SWEEP_EVERY.plusSeconds(1));
        node.sweepUnrouted();

        // then: routed once, its rules recorded, the run it had started found again (not a second one)
        assertThat(unroutedBefore).isEqualTo(1);
        assertThat(jdbc.unroutedEvents(10)).isEmpty();
        assertThat(jdbc.firings("e-1")).extracting(f -> f.rule() + ":" + f.runId())
                .containsExactly("big-orders:" + receipt.runs().get(0), "doubled:null");
        assertThat(node.runs(new RunQuery(null, null, 10, null)).runs()).hasSize(1);
        node.close();
        jdbc.close();
    }

    @Test
    void aWorkflowOnEntryIsARuleNamedAfterTheWorkflow() {
        // given
        node.deploy(TestWorkflows.files("""
                workflow: audit
                on:
                  - trigger: order-events
                    if: ${ event.type == 'order.refunded' }
                steps:
                  - name: keep
                    set: { refunded: "${ data.id }" }
                """));

        // when
        Engine.EventReceipt receipt = get(node.publish(event("e-1", "order.refunded", "{\"id\": \"o-9\", \"total\": 1}")));

        // then
        assertThat(receipt.rules()).containsExactly("audit/on/order-events", "doubled");
        RunView run = fixture.awaitEnd(receipt.runs().get(0));
        assertThat(run.workflow()).isEqualTo("audit");
        assertThat(run.data().path("refunded").asText()).isEqualTo("o-9");
        assertThatThrownBy(() -> node.setRuleEnabled("audit/on/order-events", false))
                .isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.getMessage()).contains("workflow 'audit'"));
    }

    @Test
    void anIfThatFailsToEvaluateIsRecordedAsAnExpressionErrorOfTheRule() {
        // given
        node.deploy(TestWorkflows.files("""
                rule: broken
                trigger: order-events
                if: ${ event.data.items.size() > 0 }
                call: double
                """));

        // when
        Delivery delivery = get(node.sink().accept(event("e-1", "order.paid", "{\"id\": \"o-1\", \"total\": 1}")));

        // then
        Delivery.RuleOutcome broken = delivery.outcomes().get(0);
        assertThat(broken.rule()).isEqualTo("broken");
        assertThat(broken.errorType()).isEqualTo("ExpressionError");
        assertThat(broken.errorMessage()).contains("rule 'broken'");
        assertThat(delivery.succeeded()).isFalse();
    }

    @Test
    void manualFiringSendsTheDataAsTheTriggersEventAndTheTriggerListsItsFirings() {
        // when
        Engine.EventReceipt receipt = get(node.fireTrigger("order-events", json("{\"id\": \"o-3\", \"total\": 500}")));

        // then
        assertThat(receipt.rules()).containsExactly("big-orders", "doubled");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(node.trigger("order-events").orElseThrow().lastFirings())
                .extracting(f -> f.rule()).containsExactlyInAnyOrder("big-orders", "doubled"));
        TriggerInfo trigger = node.trigger("order-events").orElseThrow();
        assertThat(trigger.kind()).isEqualTo("event");
        assertThat(trigger.rules()).containsExactly("big-orders", "doubled");
        assertThatThrownBy(() -> get(node.fireTrigger("nope", json("{}"))))
                .isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.code()).isEqualTo(EngineException.Code.NOT_FOUND));
    }

    @Test
    void aSourceEventIsForItsTriggersRulesAndARuleExtensionNarrowsItToOneRule() {
        // given
        node.deploy(TestWorkflows.files("""
                trigger: nightly
                every: 1h
                ---
                rule: tick-a
                trigger: nightly
                call: double
                with: { total: 1 }
                ---
                rule: tick-b
                trigger: nightly
                call: double
                with: { total: 2 }
                """));
        ObjectNode tick = TriggerEvents.event("nightly", "tributary.every", "nightly/1", null, fixture.clock.instant(), json("{}"));

        // when
        Delivery both = get(node.sink().accept(tick));
        Delivery onlyB = get(node.sink().accept(TriggerEvents.forRule(tick.deepCopy().put("id", "nightly/2"), "tick-b")));

        // then
        assertThat(both.outcomes()).extracting(o -> o.rule() + "=" + o.result()).containsExactly("tick-a=2", "tick-b=4");
        assertThat(onlyB.outcomes()).extracting(Delivery.RuleOutcome::rule).containsExactly("tick-b");
    }

    @Test
    void aFailedRunAndAFailedActivationAreEventsThatFireTheRulesListeningForThem() {
        // given
        node.deploy(TestWorkflows.files("""
                trigger: run-failures
                event: tributary.run.failed
                ---
                trigger: activation-failures
                event: tributary.activation.failed
                ---
                function: note-failure
                runtime: expr
                expr: "${ input.workflow != null ? 'run of ' + input.workflow : 'activation of ' + input.function }"
                ---
                function: broken
                runtime: expr
                expr: "${ input.nothing.here }"
                ---
                workflow: doomed
                steps:
                  - { name: give-up, fail: { error: Doomed, message: "no" } }
                ---
                rule: on-run-failed
                trigger: run-failures
                call: note-failure
                ---
                rule: on-activation-failed
                trigger: activation-failures
                call: note-failure
                """));

        // when
        RunView doomed = fixture.awaitEnd(fixture.start("doomed", "{}").id());
        get(node.invoke("broken", json("{}")));

        // then
        assertThat(doomed.status()).isEqualTo(RunStatus.FAILED);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(node.trigger("run-failures").orElseThrow().lastFirings())
                    .extracting(f -> f.rule() + ":" + f.eventId()).containsExactly("on-run-failed:run-ended/" + doomed.id());
            assertThat(node.trigger("activation-failures").orElseThrow().lastFirings())
                    .extracting(f -> f.rule()).containsExactly("on-activation-failed");
        });
    }

    @Test
    void aFailingHandlerOfFailedRunsDoesNotFeedItself() {
        // given: a rule that handles failed runs with a workflow that fails too
        node.deploy(TestWorkflows.files("""
                trigger: run-failures
                event: tributary.run.failed
                ---
                workflow: clumsy-handler
                on: [ { trigger: run-failures } ]
                steps:
                  - { name: trip, fail: { error: Clumsy, message: "handler failed" } }
                ---
                workflow: doomed
                steps:
                  - { name: give-up, fail: { error: Doomed, message: "no" } }
                """));

        // when
        fixture.awaitEnd(fixture.start("doomed", "{}").id());

        // then: one handler run, which failed, and no handler run for the handler's failure
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(node.runs(new RunQuery("clumsy-handler", null, 10, null))
                .runs()).extracting(RunView::status).containsExactly(RunStatus.FAILED));
        fixture.clock.tick(Duration.ofSeconds(1));
        assertThat(node.runs(new RunQuery("clumsy-handler", null, 10, null)).runs()).hasSize(1);
    }

    @Test
    void noEngineEventIsMadeWhileNoRuleListens() {
        // when
        RunView run = fixture.awaitEnd(fixture.start("big-order", "{\"orderId\": \"o-1\"}").id());

        // then
        assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
        try (JdbcRunStore store = fixture.store()) {
            assertThat(store.event("run-ended/" + run.id())).isEmpty();
        }
    }

    private static ObjectNode event(String id, String type, String data) {
        ObjectNode event = (ObjectNode) json("{\"specversion\": \"1.0\", \"source\": \"/test\"}");
        event.put("id", id).put("type", type);
        event.set("data", json(data));
        return event;
    }
}
