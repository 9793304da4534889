package dev.tributary.engine.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code trib stream put|info}: a record on a built-in stream, and its shards. */
@Command(name = "stream", mixinStandardHelpOptions = true,
        description = "Put records on built-in streams and show their shards.",
        subcommands = CommandLine.HelpCommand.class)
final class StreamCommand {

    @Command(name = "put", mixinStandardHelpOptions = true,
            description = "Put a record; records with the same partition key keep their order.")
    int put(@Mixin ClientOptions options,
            @Parameters(paramLabel = "NAME", description = "the stream") String name,
            @Option(names = "--partition-key", required = true, paramLabel = "KEY", description = "the partition key") String key,
            @Option(names = "--data", required = true, paramLabel = "JSON|@FILE", description = "the record's data, any JSON value") String data) {
        ObjectNode body = JsonText.MAPPER.createObjectNode().put("partitionKey", key);
        try {
            body.set("data", JsonText.MAPPER.readTree(JsonArgument.read(data, "--data")));
        } catch (IOException e) {
            throw new UncheckedIOException(e); // JsonArgument.read has checked it
        }
        ApiClient.Response response = options.client().post("/streams/" + ApiClient.segment(name) + "/records", "application/json",
                body.toString());
        if (RunsCommand.printedJson(options, response)) {
            return 0;
        }
        options.out().println("Put record " + JsonText.text(response.json(), "sequence") + " on shard "
                + JsonText.text(response.json(), "shard") + " of stream " + name);
        options.out().flush();
        return 0;
    }

    @Command(name = "info", mixinStandardHelpOptions = true, description = "Show a stream's shards and their newest sequence numbers.")
    int info(@Mixin ClientOptions options, @Parameters(paramLabel = "NAME", description = "the stream") String name) {
        ApiClient.Response response = options.client().get("/streams/" + ApiClient.segment(name));
        if (RunsCommand.printedJson(options, response)) {
            return 0;
        }
        TextTable table = new TextTable("SHARD", "LATEST SEQUENCE");
        response.json().path("shards").forEach(s -> table.row(JsonText.text(s, "shard"), JsonText.text(s, "latestSequence")));
        table.print(options.out());
        return 0;
    }
}
