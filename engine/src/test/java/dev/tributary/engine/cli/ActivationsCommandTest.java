package dev.tributary.engine.cli;

import static dev.tributary.engine.store.ActivationFixtures.anActivation;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.engine.api.FakeEngine;
import dev.tributary.engine.api.TestApi;
import dev.tributary.functions.Activation;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code trib activations list|get|logs} and {@code trib usage} against the HTTP API. */
class ActivationsCommandTest {

    private final FakeEngine engine = new FakeEngine()
            .withActivation(anActivation("a-1").function("charge").run("r-1", "pay").duration(Duration.ofNanos(12_345_678))
                    .memoryMb(128).logs("line one\nline two").build())
            .withActivation(anActivation("a-2").function("charge").run("r-1", "pay").attempt(2).duration(Duration.ofNanos(150_000))
                    .failed("CardDeclined", "the card was declined").build());
    private final TestApi api = new TestApi(engine);

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void listsActivationsAsATable() {
        CliRun run = CliRun.against(api, "activations", "list");

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.outLines()).hasSize(3);
        assertThat(run.outLines().get(0)).startsWith("ID").contains("FUNCTION", "STATUS", "STARTED", "DURATION", "COLD", "COST",
                "RUN", "STEP");
        assertThat(run.outLines().get(1)).startsWith("a-2").contains("charge v1", "error", "0.15ms", "r-1", "pay");
        // 256/1024 GB x 150 µs x 0.0000166667 = 6.2500125e-10: tiny, but not rounded to 0
        assertThat(run.outLines().get(1)).contains("0.00000000062500125");
        assertThat(run.outLines().get(2)).startsWith("a-1").contains("success", "12.346ms");
    }

    @Test
    void passesFiltersAndShowsTheNextPage() {
        // when
        CliRun run = CliRun.against(api, "activations", "list", "--function", "charge", "--run", "r-1", "--status", "error",
                "--limit", "1");
        CliRun bare = CliRun.against(api, "activations", "--limit", "1");

        // then
        assertThat(run.exit()).as(run.err()).isZero();
        var query = engine.activationQueries.get(0);
        assertThat(query.function()).isEqualTo("charge");
        assertThat(query.runId()).isEqualTo("r-1");
        assertThat(query.status()).isEqualTo(Activation.Status.ERROR);
        assertThat(query.limit()).isEqualTo(1);
        assertThat(bare.exit()).isNotZero(); // --limit belongs to "list"
        assertThat(CliRun.against(api, "activations", "list", "--limit", "1").out())
                .contains("more: trib activations list --cursor next-page");
    }

    @Test
    void namesABadStatusAsTheServerDoes() {
        CliRun run = CliRun.against(api, "activations", "list", "--status", "failed");

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err().trim()).startsWith("trib: Expected ?status= to be one of [success, error, timeout]");
    }

    @Test
    void showsOneActivation() {
        CliRun run = CliRun.against(api, "activations", "get", "a-2");

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("charge v1").contains("r-1 step pay attempt 2").contains("r-1/pay/2")
                .contains("CardDeclined: the card was declined").contains("256 MB").contains("0.0000375")
                .contains("trib activations logs a-2");
    }

    @Test
    void printsTheLogsAsTheyAre() {
        CliRun run = CliRun.against(api, "activations", "logs", "a-1");
        CliRun json = CliRun.against(api, "activations", "logs", "a-1", "-o", "json");

        assertThat(run.exit()).isZero();
        assertThat(run.out()).isEqualTo("line one\nline two" + System.lineSeparator());
        assertThat(json.out()).startsWith("{\"id\":\"a-1\"").contains("\"logs\":\"line one\\nline two\"");
    }

    @Test
    void namesAnUnknownActivation() {
        CliRun run = CliRun.against(api, "activations", "get", "nope");

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err().trim()).isEqualTo("trib: There is no activation 'nope'");
    }

    @Test
    void showsUsagePerFunctionAndTheTotal() {
        // when
        CliRun run = CliRun.against(api, "usage", "--from", "2026-03-01", "--to", "2026-03-02T12:00:00Z");

        // then
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.outLines().get(0)).startsWith("FUNCTION").contains("ACTIVATIONS", "GB-SECONDS", "COST");
        assertThat(run.outLines().get(1)).startsWith("charge").contains("  2  ");
        assertThat(run.outLines().get(2)).startsWith("total");
        assertThat(run.outLines().get(3)).isEqualTo("from 2026-03-01T00:00:00Z to 2026-03-02T12:00:00Z, at 0.0000166667 per GB-second");
        assertThat(engine.usageRanges.get(0)).extracting(Object::toString)
                .containsExactly("2026-03-01T00:00:00Z", "2026-03-02T12:00:00Z");
    }

    @Test
    void showsUsageAsJson() {
        CliRun run = CliRun.against(api, "usage", "-o", "json");

        assertThat(run.exit()).isZero();
        assertThat(run.out()).startsWith("{\"functions\":[{\"function\":\"charge\"");
    }
}
