package dev.tributary.engine.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code trib fn list|invoke}: the deployed functions, and calling one directly. */
@Command(name = "fn", mixinStandardHelpOptions = true,
        description = "List functions or invoke one directly.",
        subcommands = CommandLine.HelpCommand.class)
final class FnCommand implements Runnable {

    /** {@code trib fn} alone lists functions. */
    @Mixin
    ClientOptions client;

    @Override
    public void run() {
        list(client);
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List deployed functions.")
    int list(@Mixin ClientOptions options) {
        ApiClient.Response response = options.client().get("/functions");
        if (RunsCommand.printedJson(options, response)) {
            return 0;
        }
        TextTable table = new TextTable("NAME", "VERSION", "RUNTIME", "DEPLOYED");
        response.json().path("functions").forEach(f -> table.row(JsonText.text(f, "name"), JsonText.text(f, "version"),
                JsonText.text(f, "runtime"), JsonText.text(f, "deployedAt")));
        table.print(options.out());
        return 0;
    }

    @Command(name = "invoke", mixinStandardHelpOptions = true,
            description = {"Invoke a function and print its result.", "Exit status: 0 the activation succeeded, 1 it did not."})
    int invoke(@Mixin ClientOptions options,
               @Parameters(paramLabel = "NAME", description = "the function") String name,
               @Option(names = "--input", paramLabel = "JSON|@FILE", description = "the function's input (default {})") String input) {
        String body = input == null ? "{}" : JsonArgument.read(input, "--input");
        ApiClient.Response response = options.client().post("/functions/" + ApiClient.segment(name) + "/invoke",
                "application/json", body);
        JsonNode outcome = response.json();
        JsonNode activation = outcome.path("activation");
        boolean succeeded = "success".equals(activation.path("status").asText("success"));
        if (!RunsCommand.printedJson(options, response) && succeeded) {
            options.out().println(JsonText.pretty(outcome.path("result")));
            options.out().flush();
        }
        if (!succeeded) {
            options.err().println("trib: activation " + JsonText.text(activation, "id") + " of " + name + " "
                    + activation.path("status").asText() + RunsCommand.describeError(activation.path("error")));
            options.err().flush();
        }
        return succeeded ? 0 : 1;
    }
}
