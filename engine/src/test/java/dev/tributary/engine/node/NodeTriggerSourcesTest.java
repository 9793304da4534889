package dev.tributary.engine.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tributary.engine.store.RuleFiring;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Trigger sources started and stopped by the node as definitions change, and what they fire across restarts. */
class NodeTriggerSourcesTest {

    @TempDir
    Path dataDir;
    @TempDir
    Path drop;
    private NodeFixture fixture;
    private Node node;

    @BeforeEach
    void startNode() {
        fixture = new NodeFixture(dataDir);
        node = fixture.start();
        node.deploy(TestWorkflows.files("""
                trigger: drop
                files: { dir: "%s", glob: "*.csv", events: [created, deleted] }
                ---
                function: size-of
                runtime: expr
                expr: ${ input.size }
                ---
                rule: measure
                trigger: drop
                call: size-of
                """.formatted(drop.toString().replace("\\", "/"))));
    }

    @AfterEach
    void closeNode() {
        fixture.close();
    }

    @Test
    void aDroppedFileFiresOnceAndAFileDroppedWhileTheNodeWasDownFiresAfterTheRestart() throws IOException {
        // given
        Files.writeString(drop.resolve("a.csv"), "1,2,3\n");
        Files.writeString(drop.resolve("ignored.txt"), "not matched\n");
        await().atMost(Duration.ofSeconds(15)).until(() -> firings().size() == 1);

        // when
        node.close();
        Files.writeString(drop.resolve("b.csv"), "4,5\n");
        node = fixture.start();

        // then
        await().atMost(Duration.ofSeconds(15)).until(() -> firings().size() == 2);
        assertThat(firings()).extracting(RuleFiring::eventId).anyMatch(id -> id.contains("/created/a.csv/"))
                .anyMatch(id -> id.contains("/created/b.csv/"));
        assertThat(firings()).allMatch(RuleFiring::served);
    }

    @Test
    void disablingTheOnlyRuleStopsTheSourceAndEnablingItCatchesUp() throws IOException {
        // given
        node.setRuleEnabled("measure", false);

        // when
        Files.writeString(drop.resolve("late.csv"), "x\n");
        node.setRuleEnabled("measure", true);

        // then
        await().atMost(Duration.ofSeconds(15)).until(() -> firings().size() == 1);
        assertThat(firings().get(0).eventId()).contains("/created/late.csv/");
    }

    @Test
    void aQueueMessageFiresItsRuleAndIsDeletedWhileAFailingOneStaysForRedelivery() {
        // given
        node.deploy(TestWorkflows.files("""
                trigger: orders
                queue: orders
                ---
                function: accept-order
                runtime: expr
                expr: "${ input.message.total > 0 ? input.message.total : input.message.missing.field }"
                ---
                rule: take-orders
                trigger: orders
                call: accept-order
                """));

        // when
        node.sendMessage("orders", NodeFixture.json("{\"total\": 5}"));
        node.sendMessage("orders", NodeFixture.json("{\"total\": -1}"));

        // then: the good one is served and deleted, the bad one waits out its backoff (on the node's clock) and is tried again
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            List<RuleFiring> fired = node.trigger("orders").orElseThrow().lastFirings();
            assertThat(fired).filteredOn(RuleFiring::served).hasSize(1);
            assertThat(fired).filteredOn(f -> !f.served()).hasSize(1);
            assertThat(node.queueStats("orders").delayed()).isEqualTo(1);
            assertThat(node.queueStats("orders").depth() + node.queueStats("orders").inFlight()).isZero();
        });
        fixture.clock.tick(Duration.ofSeconds(2));
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(node.trigger("orders").orElseThrow().lastFirings())
                .filteredOn(f -> !f.served()).extracting(RuleFiring::eventId).hasSize(2).anyMatch(id -> id.endsWith("/2")));
    }

    @Test
    void streamRecordsStartTheRulesRunsInOrderPerPartitionKey() {
        // given
        node.deploy(TestWorkflows.files("""
                trigger: clicks
                stream: clicks
                batch: 10
                start: oldest
                ---
                workflow: count-clicks
                steps:
                  - name: count
                    set: { keys: "${ event.data.records.size() }" }
                ---
                rule: count-them
                trigger: clicks
                workflow: count-clicks
                with: "${ event.data }"
                """));

        // when
        for (int i = 1; i <= 6; i++) {
            node.putRecord("clicks", i % 2 == 0 ? "even" : "odd", NodeFixture.json("{\"n\": " + i + "}"));
        }

        // then: every record reached a run once, each key's sequence numbers in the order its records were put
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            java.util.Map<String, java.util.TreeMap<Long, Integer>> byKey = new java.util.TreeMap<>();
            node.runs(new dev.tributary.engine.store.RunQuery("count-clicks", null, 100, null)).runs().forEach(run ->
                    run.input().path("records").forEach(r -> assertThat(byKey.computeIfAbsent(r.path("partitionKey").asText(),
                            k -> new java.util.TreeMap<>()).put(r.path("sequence").asLong(), r.path("data").path("n").asInt())).isNull()));
            assertThat(byKey.get("odd").values()).containsExactly(1, 3, 5);
            assertThat(byKey.get("even").values()).containsExactly(2, 4, 6);
        });
    }

    @Test
    void aMonthEndCronListsItsNextFireTimesInItsTimeZoneByTheNodesClock() {
        // given
        node.deploy(TestWorkflows.files("""
                trigger: month-end
                cron: "0 0 2 L * ?"
                timezone: Europe/Berlin
                """));

        // when
        List<java.time.Instant> fromMarch = node.trigger("month-end").orElseThrow().nextFires();
        fixture.clock.set(java.time.Instant.parse("2028-02-01T00:00:00Z"));
        List<java.time.Instant> leapYear = node.trigger("month-end").orElseThrow().nextFires();

        // then: 02:00 in Berlin on the last day of each month — summer time (UTC+2) from the end of March
        assertThat(fromMarch).containsExactly(java.time.Instant.parse("2026-03-31T00:00:00Z"),
                java.time.Instant.parse("2026-04-30T00:00:00Z"), java.time.Instant.parse("2026-05-31T00:00:00Z"));
        assertThat(leapYear).containsExactly(java.time.Instant.parse("2028-02-29T01:00:00Z"),
                java.time.Instant.parse("2028-03-31T00:00:00Z"), java.time.Instant.parse("2028-04-30T00:00:00Z"));
        assertThat(node.trigger("drop").orElseThrow().nextFires()).isEmpty();
    }

    @Test
    void aNodeWithAutomaticTimersFiresARealOneSecondCronIntoItsRule() {
        // given: a node on the wall clock
        node.close();
        node = fixture.startWith(NodeConfig.defaults(dataDir).withShards(2).withNodeId("cron-node"));
        node.deploy(TestWorkflows.files("""
                trigger: tick
                cron: "*/1 * * * * ?"
                ---
                function: when
                runtime: expr
                expr: ${ input.scheduledFor }
                ---
                rule: note-tick
                trigger: tick
                call: when
                """));

        // then
        await().atMost(Duration.ofSeconds(10)).until(() -> node.trigger("tick").orElseThrow().lastFirings().size() >= 2);
        RuleFiring firing = node.trigger("tick").orElseThrow().lastFirings().get(0);
        assertThat(firing.served()).isTrue();
        assertThat(firing.eventId()).matches("tick/\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z");
    }

    private List<RuleFiring> firings() {
        return node.trigger("drop").orElseThrow().lastFirings();
    }
}
