package dev.tributary.engine.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code trib trigger list|get|fire}: the deployed triggers, their next fire times and last firings, and firing one by hand. */
@Command(name = "trigger", mixinStandardHelpOptions = true,
        description = "List triggers, show one, or fire one by hand.",
        subcommands = CommandLine.HelpCommand.class)
final class TriggerCommand implements Runnable {

    /** {@code trib trigger} alone lists triggers. */
    @Mixin
    ClientOptions client;

    @Override
    public void run() {
        list(client);
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List deployed triggers.")
    int list(@Mixin ClientOptions options) {
        ApiClient.Response response = options.client().get("/triggers");
        if (RunsCommand.printedJson(options, response)) {
            return 0;
        }
        TextTable table = new TextTable("NAME", "KIND", "NEXT FIRE", "RULES");
        response.json().path("triggers").forEach(t -> table.row(JsonText.text(t, "name"), JsonText.text(t, "kind"),
                t.path("nextFires").path(0).asText("-"), joined(t.path("rules"))));
        table.print(options.out());
        return 0;
    }

    @Command(name = "get", mixinStandardHelpOptions = true, description = "Show a trigger: next fire times, rules, last firings.")
    int get(@Mixin ClientOptions options, @Parameters(paramLabel = "NAME", description = "the trigger") String name) {
        ApiClient.Response response = options.client().get("/triggers/" + ApiClient.segment(name));
        if (RunsCommand.printedJson(options, response)) {
            return 0;
        }
        JsonNode t = response.json();
        var out = options.out();
        out.println(JsonText.text(t, "name") + " (" + JsonText.text(t, "kind") + ", version " + JsonText.text(t, "version") + ")");
        out.println("rules: " + joined(t.path("rules")));
        if (!t.path("nextFires").isEmpty()) {
            out.println("next fires:");
            t.path("nextFires").forEach(i -> out.println("  " + i.asText()));
        }
        if (!t.path("lastFirings").isEmpty()) {
            TextTable table = new TextTable("FIRED", "EVENT", "RULE", "STATUS", "RUN/ACTIVATION");
            t.path("lastFirings").forEach(f -> table.row(JsonText.text(f, "firedAt"), JsonText.text(f, "eventId"),
                    JsonText.text(f, "rule"), JsonText.text(f, "status")
                            + (f.has("error") ? " " + f.path("error").path("type").asText() : ""),
                    f.has("runId") ? JsonText.text(f, "runId") : f.path("activationId").asText("-")));
            out.println("last firings:");
            table.print(out);
        }
        out.flush();
        return 0;
    }

    @Command(name = "fire", mixinStandardHelpOptions = true,
            description = "Fire a trigger by hand: --data is the event's data, or a whole CloudEvent (with specversion).")
    int fire(@Mixin ClientOptions options,
             @Parameters(paramLabel = "NAME", description = "the trigger") String name,
             @Option(names = "--data", paramLabel = "JSON|@FILE", description = "the event data (default {})") String data) {
        String body = data == null ? "{}" : JsonArgument.read(data, "--data");
        ApiClient.Response response = options.client().post("/triggers/" + ApiClient.segment(name) + "/fire", "application/json", body);
        if (RunsCommand.printedJson(options, response)) {
            return 0;
        }
        JsonNode receipt = response.json();
        options.out().println("Fired " + name + ": event " + JsonText.text(receipt, "eventId") + ", rules " + joined(receipt.path("rules"))
                + (receipt.path("runs").isEmpty() ? "" : ", runs " + joined(receipt.path("runs"))));
        options.out().flush();
        return 0;
    }

    static String joined(JsonNode array) {
        if (array == null || array.isEmpty()) {
            return "-";
        }
        StringBuilder text = new StringBuilder();
        array.forEach(e -> text.append(text.length() == 0 ? "" : ", ").append(e.asText()));
        return text.toString();
    }
}
