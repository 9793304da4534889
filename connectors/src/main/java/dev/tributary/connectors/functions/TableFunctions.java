package dev.tributary.connectors.functions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.connectors.table.TableItem;
import dev.tributary.connectors.table.TablePage;
import dev.tributary.connectors.table.TableRules;
import dev.tributary.connectors.table.TableStore;
import dev.tributary.functions.FunctionRuntime;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code table.put}, {@code table.get}, {@code table.query} and {@code table.delete} (SPEC §6)
 * over a {@link TableStore}. Each is one short store call made on the caller's thread (a node's
 * dispatch pool, never an event loop). {@code table.query} answers up to {@code limit} items
 * (default and most {@value TableStore#MAX_PAGE}) and a {@code cursor} for the next page, null on
 * the last; pass it back as {@code cursor} to go on.
 */
public final class TableFunctions {

    public static final String PUT = "table.put";
    public static final String GET = "table.get";
    public static final String QUERY = "table.query";
    public static final String DELETE = "table.delete";

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final TableStore tables;
    private final Clock clock;

    public TableFunctions(TableStore tables, Clock clock) {
        this.tables = tables;
        this.clock = clock;
    }

    /** The four functions by name, to register with the node's functions. */
    public Map<String, FunctionRuntime> byName() {
        Map<String, FunctionRuntime> functions = new LinkedHashMap<>();
        functions.put(PUT, job -> ConnectorCall.now(clock, PUT, () -> put(new ConnectorInput(PUT, job.input()))));
        functions.put(GET, job -> ConnectorCall.now(clock, GET, () -> get(new ConnectorInput(GET, job.input()))));
        functions.put(QUERY, job -> ConnectorCall.now(clock, QUERY, () -> query(new ConnectorInput(QUERY, job.input()))));
        functions.put(DELETE, job -> ConnectorCall.now(clock, DELETE, () -> delete(new ConnectorInput(DELETE, job.input()))));
        return functions;
    }

    /** {@code {table, item}} with the keys in the item → {@code {etag}}. */
    private JsonNode put(ConnectorInput in) {
        String table = in.text("table");
        ObjectNode item = in.object("item");
        String partitionKey = in.text(item, TableRules.PARTITION_KEY, "item." + TableRules.PARTITION_KEY);
        String rowKey = in.text(item, TableRules.ROW_KEY, "item." + TableRules.ROW_KEY);
        return NODES.objectNode().put("etag", tables.put(table, partitionKey, rowKey, item));
    }

    /** {@code {table, partitionKey, rowKey}} → the item, or null. */
    private JsonNode get(ConnectorInput in) {
        return tables.get(in.text("table"), in.text("partitionKey"), in.text("rowKey"))
                .<JsonNode>map(TableItem::item).orElse(NullNode.getInstance());
    }

    /** {@code {table, partitionKey, limit?, cursor?}} → {@code {items, cursor}}. */
    private JsonNode query(ConnectorInput in) {
        String table = in.text("table");
        String partitionKey = in.text("partitionKey");
        int limit = in.optionalInt("limit", 1, TableStore.MAX_PAGE, TableStore.MAX_PAGE);
        TablePage page = tables.query(table, partitionKey, limit, in.optionalText("cursor"));
        ObjectNode result = NODES.objectNode();
        ArrayNode items = result.putArray("items");
        page.items().forEach(i -> items.add(i.item()));
        result.put("cursor", page.cursor());
        return result;
    }

    /** {@code {table, partitionKey, rowKey}} → {@code {deleted}}. */
    private JsonNode delete(ConnectorInput in) {
        return NODES.objectNode().put("deleted", tables.delete(in.text("table"), in.text("partitionKey"), in.text("rowKey")));
    }
}
