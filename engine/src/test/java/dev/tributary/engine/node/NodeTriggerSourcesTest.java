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

    private List<RuleFiring> firings() {
        return node.trigger("drop").orElseThrow().lastFirings();
    }
}
