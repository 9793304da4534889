package dev.tributary.engine.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code trib usage [--from] [--to]}: GB-seconds and cost per function. */
@Command(name = "usage", mixinStandardHelpOptions = true,
        description = {"Show GB-seconds and cost per function for the activations that started in [from, to).",
                "Default: this month (UTC) so far."})
final class UsageCommand implements Runnable {

    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");

    @Mixin
    ClientOptions options;

    @Option(names = "--from", paramLabel = "WHEN", description = "an instant (2026-03-01T00:00:00Z) or a UTC day (2026-03-01); "
            + "default: the start of the month of --to")
    String from;

    @Option(names = "--to", paramLabel = "WHEN", description = "an instant or a UTC day, exclusive; default: now")
    String to;

    @Override
    public void run() {
        List<String> query = new ArrayList<>();
        if (from != null) {
            query.add("from=" + ApiClient.query(instant(from)));
        }
        if (to != null) {
            query.add("to=" + ApiClient.query(instant(to)));
        }
        ApiClient.Response response = options.client().get("/usage" + (query.isEmpty() ? "" : "?" + String.join("&", query)));
        if (RunsCommand.printedJson(options, response)) {
            return;
        }
        JsonNode usage = response.json();
        TextTable table = new TextTable("FUNCTION", "ACTIVATIONS", "GB-SECONDS", "COST");
        usage.path("functions").forEach(f -> row(table, JsonText.text(f, "function"), f));
        row(table, "total", usage.path("total"));
        table.print(options.out());
        options.out().println("from " + JsonText.text(usage, "from") + " to " + JsonText.text(usage, "to") + ", at "
                + Decimals.significant(usage.path("pricePerGbSecond")) + " per GB-second");
        options.out().flush();
    }

    private static void row(TextTable table, String name, JsonNode totals) {
        table.row(name, JsonText.text(totals, "activations"), Decimals.significant(totals.path("gbSeconds")),
                Decimals.significant(totals.path("cost")));
    }

    /** A bare day means its start in UTC; anything else goes to the server as it is (which names a bad one). */
    private static String instant(String value) {
        return DATE.matcher(value.trim()).matches() ? value.trim() + "T00:00:00Z" : value.trim();
    }
}
