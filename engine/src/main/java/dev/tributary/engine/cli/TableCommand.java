package dev.tributary.engine.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code trib table put|get|query|delete}: the items of the built-in tables (SPEC §6). */
@Command(name = "table", mixinStandardHelpOptions = true,
        description = "Put, get, list and delete items of the built-in tables.",
        subcommands = CommandLine.HelpCommand.class)
final class TableCommand implements Runnable {

    private static final int SHOWN_ITEM_CHARS = 100;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "put", mixinStandardHelpOptions = true,
            description = "Create or replace an item; its PartitionKey and RowKey are the ones given here.")
    int put(@Mixin ClientOptions options,
            @Parameters(index = "0", paramLabel = "TABLE") String table,
            @Parameters(index = "1", paramLabel = "PARTITION_KEY") String partitionKey,
            @Parameters(index = "2", paramLabel = "ROW_KEY") String rowKey,
            @Option(names = "--item", required = true, paramLabel = "JSON|@FILE", description = "the item, a JSON object") String item) {
        ApiClient.Response response = options.client().put(itemPath(table, partitionKey, rowKey), "application/json",
                JsonArgument.read(item, "--item"));
        if (!RunsCommand.printedJson(options, response)) {
            options.out().println("etag " + JsonText.text(response.json(), "etag"));
            options.out().flush();
        }
        return 0;
    }

    @Command(name = "get", mixinStandardHelpOptions = true, description = "Print an item.")
    int get(@Mixin ClientOptions options,
            @Parameters(index = "0", paramLabel = "TABLE") String table,
            @Parameters(index = "1", paramLabel = "PARTITION_KEY") String partitionKey,
            @Parameters(index = "2", paramLabel = "ROW_KEY") String rowKey) {
        ApiClient.Response response = options.client().get(itemPath(table, partitionKey, rowKey));
        if (!RunsCommand.printedJson(options, response)) {
            options.out().println(JsonText.pretty(response.json()));
            options.out().flush();
        }
        return 0;
    }

    @Command(name = "query", mixinStandardHelpOptions = true, description = "List the items of one partition in row-key order.")
    int query(@Mixin ClientOptions options,
              @Parameters(paramLabel = "TABLE") String table,
              @Option(names = "--partition-key", required = true, paramLabel = "PK") String partitionKey,
              @Option(names = "--limit", paramLabel = "N", description = "at most this many items (1 to 1000, default 50)") Integer limit,
              @Option(names = "--cursor", paramLabel = "CURSOR", description = "the page after the one that printed it") String cursor) {
        List<String> query = new ArrayList<>();
        query.add("partitionKey=" + ApiClient.query(partitionKey));
        if (limit != null) {
            query.add("limit=" + limit);
        }
        if (cursor != null) {
            query.add("cursor=" + ApiClient.query(cursor));
        }
        ApiClient.Response response = options.client().get("/tables/" + ApiClient.segment(table) + "/items?" + String.join("&", query));
        if (RunsCommand.printedJson(options, response)) {
            return 0;
        }
        JsonNode page = response.json();
        TextTable rows = new TextTable("ROW KEY", "ITEM");
        page.path("items").forEach(item -> {
            ObjectNode rest = item.deepCopy();
            rest.remove(List.of("PartitionKey", "RowKey"));
            rows.row(JsonText.text(item, "RowKey"), JsonText.oneLine(rest, SHOWN_ITEM_CHARS));
        });
        rows.print(options.out());
        if (page.path("cursor").isTextual()) {
            options.out().println("more: trib table query " + table + " --partition-key " + partitionKey
                    + (limit == null ? "" : " --limit " + limit) + " --cursor " + page.path("cursor").asText());
            options.out().flush();
        }
        return 0;
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Remove an item; fails when there is none.")
    int delete(@Mixin ClientOptions options,
               @Parameters(index = "0", paramLabel = "TABLE") String table,
               @Parameters(index = "1", paramLabel = "PARTITION_KEY") String partitionKey,
               @Parameters(index = "2", paramLabel = "ROW_KEY") String rowKey) {
        options.client().delete(itemPath(table, partitionKey, rowKey));
        options.out().println(options.json() ? "{\"deleted\":true}" : "deleted");
        options.out().flush();
        return 0;
    }

    private static String itemPath(String table, String partitionKey, String rowKey) {
        return "/tables/" + ApiClient.segment(table) + "/items/" + ApiClient.segment(partitionKey) + "/" + ApiClient.segment(rowKey);
    }
}
