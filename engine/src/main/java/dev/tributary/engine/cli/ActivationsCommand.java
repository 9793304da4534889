package dev.tributary.engine.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code trib activations list|get|logs}: what functions did, what it cost, and what they printed. */
@Command(name = "activations", mixinStandardHelpOptions = true,
        description = "List activations, show one, or print its logs.",
        subcommands = CommandLine.HelpCommand.class)
final class ActivationsCommand implements Runnable {

    /** {@code trib activations} alone lists activations. */
    @Mixin
    ClientOptions client;

    @Override
    public void run() {
        list(client, null, null, null, null, null);
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List activations, newest first.")
    int list(@Mixin ClientOptions options,
             @Option(names = "--function", paramLabel = "NAME", description = "only activations of this function") String function,
             @Option(names = "--run", paramLabel = "RUN", description = "only activations of this run") String run,
             @Option(names = "--status", paramLabel = "STATUS", description = "only activations that ended so (success, error, "
                     + "timeout)") String status,
             @Option(names = "--limit", paramLabel = "N", description = "at most N activations (default 50)") Integer limit,
             @Option(names = "--cursor", paramLabel = "CURSOR", description = "the next page, as a previous list said") String cursor) {
        List<String> query = new ArrayList<>();
        if (function != null) {
            query.add("function=" + ApiClient.query(function));
        }
        if (run != null) {
            query.add("run=" + ApiClient.query(run));
        }
        if (status != null) {
            query.add("status=" + ApiClient.query(status));
        }
        if (limit != null) {
            query.add("limit=" + limit);
        }
        if (cursor != null) {
            query.add("cursor=" + ApiClient.query(cursor));
        }
        ApiClient.Response response = options.client().get("/activations" + (query.isEmpty() ? "" : "?" + String.join("&", query)));
        if (RunsCommand.printedJson(options, response)) {
            return 0;
        }
        JsonNode page = response.json();
        TextTable table = new TextTable("ID", "FUNCTION", "STATUS", "STARTED", "DURATION", "COLD", "COST", "RUN", "STEP");
        page.path("activations").forEach(a -> table.row(JsonText.text(a, "id"),
                JsonText.text(a, "function") + " v" + JsonText.text(a, "version"), JsonText.text(a, "status"),
                JsonText.text(a, "startedAt"), Decimals.millis(a.path("durationMs")), a.path("coldStart").asBoolean() ? "yes" : "no",
                Decimals.significant(a.path("cost")), JsonText.text(a, "run"), JsonText.text(a, "step")));
        table.print(options.out());
        if (page.path("cursor").isTextual()) {
            options.out().println("more: trib activations list --cursor " + page.path("cursor").asText());
            options.out().flush();
        }
        return 0;
    }

    @Command(name = "get", mixinStandardHelpOptions = true, description = "Show an activation (its logs: trib activations logs).")
    int get(@Mixin ClientOptions options, @Parameters(paramLabel = "ID", description = "the activation") String id) {
        ApiClient.Response response = options.client().get("/activations/" + ApiClient.segment(id));
        if (RunsCommand.printedJson(options, response)) {
            return 0;
        }
        JsonNode a = response.json();
        TextTable fields = new TextTable("FIELD", "VALUE");
        fields.row("id", JsonText.text(a, "id"));
        fields.row("function", JsonText.text(a, "function") + " v" + JsonText.text(a, "version"));
        fields.row("status", JsonText.text(a, "status"));
        if (a.hasNonNull("run")) {
            fields.row("run", JsonText.text(a, "run") + " step " + JsonText.text(a, "step") + " attempt " + JsonText.text(a, "attempt"));
        }
        fields.row("idempotency key", JsonText.text(a, "idempotencyKey"));
        fields.row("started", JsonText.text(a, "startedAt"));
        fields.row("duration", Decimals.millis(a.path("durationMs")) + (a.path("coldStart").asBoolean() ? " (cold start)" : ""));
        fields.row("memory", JsonText.text(a, "memoryMb") + " MB");
        fields.row("GB-seconds", Decimals.significant(a.path("gbSeconds")));
        fields.row("cost", Decimals.significant(a.path("cost")));
        if (a.hasNonNull("error")) {
            fields.row("error", RunsCommand.describeError(a.path("error")).replaceFirst("^: ", ""));
        } else {
            fields.row("result", JsonText.oneLine(a.path("result"), 200));
        }
        fields.row("logs", a.path("logs").asText("").length() + " characters (trib activations logs " + JsonText.text(a, "id") + ")");
        fields.print(options.out());
        return 0;
    }

    @Command(name = "logs", mixinStandardHelpOptions = true, description = "Print what an activation wrote to stdout and stderr.")
    int logs(@Mixin ClientOptions options, @Parameters(paramLabel = "ID", description = "the activation") String id) {
        ApiClient.Response response = options.client().get("/activations/" + ApiClient.segment(id));
        if (RunsCommand.printedJson(options, response)) {
            return 0;
        }
        String logs = response.json().path("logs").asText("");
        options.out().print(logs);
        if (!logs.isEmpty() && !logs.endsWith("\n")) {
            options.out().println(); // so the shell prompt starts on a line of its own
        }
        options.out().flush();
        return 0;
    }
}
