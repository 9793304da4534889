package dev.tributary.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.engine.api.FakeEngine;
import dev.tributary.engine.api.TestApi;
import dev.tributary.engine.core.RunStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RunsCommandTest {

    private final FakeEngine engine = new FakeEngine().withWorkflow("hello");
    private final TestApi api = new TestApi(engine);

    @BeforeEach
    void runs() {
        engine.withRun("r-a", "hello", RunStatus.SUCCEEDED);
        engine.withRun("r-b", "hello", RunStatus.FAILED);
        engine.withRun("r-c", "other", RunStatus.RUNNING);
    }

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void listsRunsAsATable() {
        CliRun run = CliRun.against(api, "runs", "list");

        assertThat(run.exit()).isZero();
        assertThat(run.outLines()).hasSize(4);
        assertThat(run.outLines().get(0)).startsWith("ID").contains("WORKFLOW", "VERSION", "STATUS", "STARTED", "ENDED");
        assertThat(run.outLines().get(1)).startsWith("r-c").contains("other", "RUNNING", "2026-01-02T03:04:05Z");
        assertThat(run.outLines().get(3)).startsWith("r-a").contains("SUCCEEDED", "2026-01-02T03:04:07Z");
    }

    @Test
    void passesFiltersAndShowsTheNextPage() {
        // when
        CliRun run = CliRun.against(api, "runs", "list", "--workflow", "hello", "--status", "FAILED", "--limit", "1", "--cursor", "c 1");
        CliRun paged = CliRun.against(api, "runs", "list", "--limit", "1");

        // then
        assertThat(run.exit()).isZero();
        assertThat(engine.queries.get(0).workflow()).isEqualTo("hello");
        assertThat(engine.queries.get(0).status()).isEqualTo(RunStatus.FAILED);
        assertThat(engine.queries.get(0).limit()).isEqualTo(1);
        assertThat(engine.queries.get(0).cursor()).isEqualTo("c 1");
        assertThat(paged.out()).contains("more: trib runs list --cursor next-page");
    }

    @Test
    void listsWithoutTheListWordAndAsJson() {
        CliRun bare = CliRun.against(api, "runs");
        CliRun json = CliRun.against(api, "runs", "list", "-o", "json");

        assertThat(bare.outLines()).hasSize(4);
        assertThat(json.out().trim()).startsWith("{\"runs\":[{\"id\":\"r-c\"").endsWith("\"cursor\":null}");
    }

    @Test
    void showsARun() {
        CliRun run = CliRun.against(api, "runs", "get", "r-b");

        assertThat(run.exit()).isZero();
        assertThat(run.out()).contains("status    FAILED").contains("workflow  hello v1")
                .contains("error     Boom: it broke (step only, attempt 1)");
    }

    @Test
    void showsAHistory() {
        CliRun run = CliRun.against(api, "runs", "history", "r-a");

        assertThat(run.exit()).isZero();
        assertThat(run.outLines().get(0)).startsWith("SEQ").contains("AT", "TYPE", "STEP", "DATA");
        assertThat(run.outLines().get(1)).startsWith("1").contains("RunStarted", "{\"n\":1}");
        assertThat(run.outLines().get(2)).contains("StepStarted", "only");
    }

    @Test
    void cancelsARunAndReportsAConflict() {
        CliRun cancelled = CliRun.against(api, "runs", "cancel", "r-c");
        CliRun ended = CliRun.against(api, "runs", "cancel", "r-a");

        assertThat(cancelled.exit()).isZero();
        assertThat(cancelled.out().trim()).isEqualTo("Cancelled run r-c (CANCELLED)");
        assertThat(ended.exit()).isEqualTo(2);
        assertThat(ended.err().trim()).isEqualTo("trib: Expected to cancel run 'r-a', but it is already SUCCEEDED");
    }

    @Test
    void namesAnUnknownRun() {
        CliRun run = CliRun.against(api, "runs", "get", "r-zz");

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err().trim()).isEqualTo("trib: There is no run 'r-zz'");
    }
}
