package dev.tributary.engine.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code trib rule list|enable|disable}. */
@Command(name = "rule", mixinStandardHelpOptions = true,
        description = "List rules, enable or disable one.",
        subcommands = CommandLine.HelpCommand.class)
final class RuleCommand implements Runnable {

    /** {@code trib rule} alone lists rules. */
    @Mixin
    ClientOptions client;

    @Override
    public void run() {
        list(client);
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List rules (workflows' on: entries included).")
    int list(@Mixin ClientOptions options) {
        ApiClient.Response response = options.client().get("/rules");
        if (RunsCommand.printedJson(options, response)) {
            return 0;
        }
        TextTable table = new TextTable("NAME", "TRIGGER", "TARGET", "ENABLED", "IF");
        response.json().path("rules").forEach(r -> table.row(JsonText.text(r, "name"), JsonText.text(r, "trigger"), target(r),
                JsonText.text(r, "enabled"), r.path("if").asText("-")));
        table.print(options.out());
        return 0;
    }

    @Command(name = "enable", mixinStandardHelpOptions = true, description = "Enable a rule.")
    int enable(@Mixin ClientOptions options, @Parameters(paramLabel = "NAME", description = "the rule") String name) {
        return set(options, name, "enable");
    }

    @Command(name = "disable", mixinStandardHelpOptions = true, description = "Disable a rule: its trigger's events no longer fire it.")
    int disable(@Mixin ClientOptions options, @Parameters(paramLabel = "NAME", description = "the rule") String name) {
        return set(options, name, "disable");
    }

    private static int set(ClientOptions options, String name, String action) {
        ApiClient.Response response = options.client().post("/rules/" + ApiClient.segment(name) + "/" + action, "application/json", "{}");
        if (RunsCommand.printedJson(options, response)) {
            return 0;
        }
        JsonNode rule = response.json();
        options.out().println("Rule " + name + " is " + (rule.path("enabled").asBoolean() ? "enabled" : "disabled")
                + " (version " + JsonText.text(rule, "version") + ")");
        options.out().flush();
        return 0;
    }

    private static String target(JsonNode rule) {
        return rule.has("workflow") ? "workflow " + rule.path("workflow").asText() : "function " + rule.path("function").asText();
    }
}
