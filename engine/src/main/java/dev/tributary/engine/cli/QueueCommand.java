package dev.tributary.engine.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code trib queue send|stats}: a message to a built-in queue, and its counts. */
@Command(name = "queue", mixinStandardHelpOptions = true,
        description = "Send messages to built-in queues and show their counts.",
        subcommands = CommandLine.HelpCommand.class)
final class QueueCommand {

    @Command(name = "send", mixinStandardHelpOptions = true, description = "Send a message; it is durable once this prints its id.")
    int send(@Mixin ClientOptions options,
             @Parameters(paramLabel = "NAME", description = "the queue") String name,
             @Option(names = "--message", required = true, paramLabel = "JSON|@FILE", description = "the message, any JSON value") String message) {
        String body = "{\"message\":" + JsonArgument.read(message, "--message") + "}";
        ApiClient.Response response = options.client().post("/queues/" + ApiClient.segment(name) + "/messages", "application/json", body);
        if (RunsCommand.printedJson(options, response)) {
            return 0;
        }
        options.out().println("Sent message " + JsonText.text(response.json(), "id") + " to queue " + name);
        options.out().flush();
        return 0;
    }

    @Command(name = "stats", mixinStandardHelpOptions = true,
            description = {"Show a queue's counts: visible, leased to a consumer, waiting out a retry backoff, dead-lettered."})
    int stats(@Mixin ClientOptions options, @Parameters(paramLabel = "NAME", description = "the queue") String name) {
        ApiClient.Response response = options.client().get("/queues/" + ApiClient.segment(name));
        if (RunsCommand.printedJson(options, response)) {
            return 0;
        }
        JsonNode stats = response.json();
        TextTable table = new TextTable("QUEUE", "DEPTH", "IN-FLIGHT", "DELAYED", "DEAD-LETTERED");
        table.row(JsonText.text(stats, "name"), JsonText.text(stats, "depth"), JsonText.text(stats, "inFlight"),
                JsonText.text(stats, "delayed"), JsonText.text(stats, "deadLettered"));
        table.print(options.out());
        return 0;
    }
}
