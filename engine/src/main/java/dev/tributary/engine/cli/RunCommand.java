package dev.tributary.engine.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tributary.dsl.time.Durations;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code trib run WORKFLOW}: starts a run. With {@code --wait} it asks the server to hold the
 * answer until the run ends (up to {@link #SERVER_WAIT} per request), then polls until it has,
 * prints the output, and exits 1 unless the run succeeded.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Start a run of a workflow (name or name@version).",
                "Exit status with --wait: 0 the run succeeded, 1 it did not."})
final class RunCommand implements Callable<Integer> {

    /** What one waiting request asks of the server; well within its 15-minute cap. */
    static final Duration SERVER_WAIT = Duration.ofMinutes(5);

    @Mixin
    ClientOptions client;

    @Parameters(index = "0", paramLabel = "WORKFLOW", description = "the workflow, or workflow@version")
    String workflow;

    @Option(names = "--input", paramLabel = "JSON|@FILE", description = "the run input (default {})")
    String input;

    @Option(names = "--wait", description = "wait for the run to end and print its output")
    boolean wait;

    @Option(names = "--idempotency-key", paramLabel = "KEY", description = "the same key starts the same run only once")
    String idempotencyKey;

    @Option(names = "--poll-interval", hidden = true, defaultValue = "1s", description = "how often --wait re-reads a long run")
    String pollInterval;

    @Override
    public Integer call() throws InterruptedException {
        String body = input == null ? "{}" : JsonArgument.read(input, "--input");
        ApiClient api = client.client();
        String path = "/workflows/" + ApiClient.segment(workflow) + "/runs"
                + (wait ? "?wait=" + Durations.format(SERVER_WAIT) : "");
        Map<String, String> headers = idempotencyKey == null ? Map.of() : Map.of("Idempotency-Key", idempotencyKey);
        ApiClient.Response started = api.post(path, "application/json", body, headers, wait ? SERVER_WAIT : Duration.ZERO);
        if (!wait) {
            printStarted(started);
            return 0;
        }
        ApiClient.Response ended = started.status() == 200 ? started : RunPolling.untilEnded(api, started.json().path("id").asText(),
                parsePollInterval());
        return printEnded(ended);
    }

    private void printStarted(ApiClient.Response started) {
        if (client.json()) {
            client.out().println(started.body());
        } else {
            JsonNode run = started.json();
            client.out().println("Started run " + JsonText.text(run, "id") + " of " + JsonText.text(run, "workflow")
                    + " v" + JsonText.text(run, "version") + " (" + JsonText.text(run, "status") + ")");
        }
        client.out().flush();
    }

    private int printEnded(ApiClient.Response ended) {
        JsonNode run = ended.json();
        boolean succeeded = "SUCCEEDED".equals(run.path("status").asText());
        if (client.json()) {
            client.out().println(ended.body());
        } else if (succeeded) {
            client.out().println(JsonText.pretty(run.path("output")));
        }
        client.out().flush();
        if (!succeeded) {
            client.err().println("trib: run " + JsonText.text(run, "id") + " " + run.path("status").asText()
                    + RunsCommand.describeError(run.path("error")));
            client.err().flush();
        }
        return succeeded ? 0 : 1;
    }

    private Duration parsePollInterval() {
        try {
            return Durations.parse(pollInterval);
        } catch (IllegalArgumentException e) {
            throw new CliFailure("--poll-interval: " + e.getMessage());
        }
    }
}
