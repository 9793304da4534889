package dev.tributary.engine.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code trib runs list|get|history|cancel}: look at runs and stop them. */
@Command(name = "runs", mixinStandardHelpOptions = true,
        description = "List runs, show one, show its history, or cancel it.",
        subcommands = CommandLine.HelpCommand.class)
final class RunsCommand implements Runnable {

    /** {@code trib runs} alone lists runs, like {@code trib runs list}. */
    @Mixin
    ClientOptions client;

    @Override
    public void run() {
        list(client, null, null, null, null);
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List runs, newest first.")
    int list(@Mixin ClientOptions options,
             @Option(names = "--workflow", paramLabel = "NAME", description = "only runs of this workflow") String workflow,
             @Option(names = "--status", paramLabel = "STATUS", description = "only runs in this status (RUNNING, WAITING, "
                     + "SUCCEEDED, FAILED, CANCELLED, TIMED_OUT)") String status,
             @Option(names = "--limit", paramLabel = "N", description = "at most N runs (default 50)") Integer limit,
             @Option(names = "--cursor", paramLabel = "CURSOR", description = "the next page, as a previous list said") String cursor) {
        List<String> query = new ArrayList<>();
        if (workflow != null) {
            query.add("workflow=" + ApiClient.query(workflow));
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
        ApiClient.Response response = options.client().get("/runs" + (query.isEmpty() ? "" : "?" + String.join("&", query)));
        if (printedJson(options, response)) {
            return 0;
        }
        JsonNode page = response.json();
        TextTable table = new TextTable("ID", "WORKFLOW", "VERSION", "STATUS", "STARTED", "ENDED");
        page.path("runs").forEach(run -> table.row(JsonText.text(run, "id"), JsonText.text(run, "workflow"),
                JsonText.text(run, "version"), JsonText.text(run, "status"), JsonText.text(run, "startedAt"),
                JsonText.text(run, "endedAt")));
        table.print(options.out());
        if (page.path("cursor").isTextual()) {
            options.out().println("more: trib runs list --cursor " + page.path("cursor").asText());
            options.out().flush();
        }
        return 0;
    }

    @Command(name = "get", mixinStandardHelpOptions = true, description = "Show a run.")
    int get(@Mixin ClientOptions options, @Parameters(paramLabel = "ID", description = "the run") String id) {
        ApiClient.Response response = options.client().get("/runs/" + ApiClient.segment(id));
        if (printedJson(options, response)) {
            return 0;
        }
        printRun(options.out(), response.json());
        return 0;
    }

    @Command(name = "history", mixinStandardHelpOptions = true, description = "Show what happened in a run, in order.")
    int history(@Mixin ClientOptions options, @Parameters(paramLabel = "ID", description = "the run") String id) {
        ApiClient.Response response = options.client().get("/runs/" + ApiClient.segment(id) + "/history");
        if (printedJson(options, response)) {
            return 0;
        }
        TextTable table = new TextTable("SEQ", "AT", "TYPE", "STEP", "DATA");
        response.json().path("events").forEach(e -> table.row(JsonText.text(e, "seq"), JsonText.text(e, "at"),
                JsonText.text(e, "type"), JsonText.text(e, "step"), JsonText.oneLine(e.path("data"), 80)));
        table.print(options.out());
        return 0;
    }

    @Command(name = "cancel", mixinStandardHelpOptions = true, description = "Cancel a run; activations in flight are abandoned.")
    int cancel(@Mixin ClientOptions options, @Parameters(paramLabel = "ID", description = "the run") String id) {
        ApiClient.Response response = options.client().post("/runs/" + ApiClient.segment(id) + "/cancel", "application/json", "");
        if (printedJson(options, response)) {
            return 0;
        }
        JsonNode run = response.json();
        options.out().println("Cancelled run " + JsonText.text(run, "id") + " (" + JsonText.text(run, "status") + ")");
        options.out().flush();
        return 0;
    }

    static void printRun(PrintWriter out, JsonNode run) {
        TextTable fields = new TextTable("FIELD", "VALUE");
        fields.row("id", JsonText.text(run, "id"));
        fields.row("workflow", JsonText.text(run, "workflow") + " v" + JsonText.text(run, "version"));
        fields.row("status", JsonText.text(run, "status"));
        if (run.hasNonNull("parentRunId")) {
            fields.row("parent", JsonText.text(run, "parentRunId"));
        }
        fields.row("started", JsonText.text(run, "startedAt"));
        fields.row("ended", JsonText.text(run, "endedAt"));
        fields.row("input", JsonText.oneLine(run.path("input"), 200));
        fields.row("output", JsonText.oneLine(run.path("output"), 200));
        if (run.hasNonNull("error")) {
            fields.row("error", describeError(run.path("error")).replaceFirst("^: ", ""));
        }
        if (run.hasNonNull("cost")) {
            JsonNode cost = run.path("cost");
            fields.row("cost", Decimals.significant(cost.path("cost")) + " (" + JsonText.text(cost, "activations") + " activations, "
                    + Decimals.significant(cost.path("gbSeconds")) + " GB-seconds)");
        }
        fields.print(out);
    }

    /** {@code ": Type: message (step s, attempt n)"}, or "" when there is no error. */
    static String describeError(JsonNode error) {
        if (error == null || error.isNull() || error.isMissingNode()) {
            return "";
        }
        StringBuilder b = new StringBuilder(": ").append(error.path("type").asText("Error"));
        if (error.hasNonNull("message")) {
            b.append(": ").append(error.get("message").asText());
        }
        if (error.hasNonNull("step")) {
            b.append(" (step ").append(error.get("step").asText());
            if (error.hasNonNull("attempt")) {
                b.append(", attempt ").append(error.get("attempt").asText());
            }
            b.append(')');
        }
        return b.toString();
    }

    /** With {@code -o json}: the server's answer as it came. */
    static boolean printedJson(ClientOptions options, ApiClient.Response response) {
        if (!options.json()) {
            return false;
        }
        options.out().println(response.body());
        options.out().flush();
        return true;
    }
}
