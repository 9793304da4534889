package dev.tributary.engine.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.UUID;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code trib event send}: publish a CloudEvent (it may fire rules and resume waiting runs). */
@Command(name = "event", mixinStandardHelpOptions = true,
        description = "Publish events.",
        subcommands = CommandLine.HelpCommand.class)
final class EventCommand {

    static final String DEFAULT_SOURCE = "trib-cli";

    @Command(name = "send", mixinStandardHelpOptions = true,
            description = "Publish a CloudEvent 1.0; a run waiting for its type and subject resumes.")
    int send(@Mixin ClientOptions options,
             @Option(names = "--type", required = true, paramLabel = "TYPE", description = "the event type, e.g. order.placed") String type,
             @Option(names = "--subject", paramLabel = "SUBJECT", description = "the subject (the key event waits match)") String subject,
             @Option(names = "--source", paramLabel = "SOURCE", defaultValue = DEFAULT_SOURCE,
                     description = "the event source (default ${DEFAULT-VALUE})") String source,
             @Option(names = "--id", paramLabel = "ID", description = "the event id (default: a random UUID); a repeated id is accepted once") String id,
             @Option(names = "--data", paramLabel = "JSON|@FILE", description = "the event data") String data) {
        ObjectNode event = JsonText.MAPPER.createObjectNode()
                .put("specversion", "1.0")
                .put("id", id == null ? UUID.randomUUID().toString() : id)
                .put("source", source)
                .put("type", type);
        if (subject != null) {
            event.put("subject", subject);
        }
        if (data != null) {
            event.put("datacontenttype", "application/json");
            event.set("data", parse(JsonArgument.read(data, "--data")));
        }
        ApiClient.Response response = options.client().post("/events", "application/cloudevents+json", event.toString());
        if (RunsCommand.printedJson(options, response)) {
            return 0;
        }
        JsonNode receipt = response.json();
        options.out().println(receipt.path("duplicate").asBoolean()
                ? "Event " + JsonText.text(receipt, "id") + " was accepted before; not published again"
                : "Published event " + JsonText.text(receipt, "id"));
        options.out().flush();
        return 0;
    }

    private static JsonNode parse(String json) {
        try {
            return JsonText.MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // JsonArgument.read has checked it
        }
    }
}
