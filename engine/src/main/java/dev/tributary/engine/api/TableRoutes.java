package dev.tributary.engine.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.connectors.table.TableItem;
import dev.tributary.engine.node.Engine;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code /tables/{table}/items}: the built-in table connector (SPEC §5) — put, get and delete an
 * item by its partition and row key, and list a partition in row-key order. An item's answer
 * carries its etag in the {@code ETag} header.
 */
final class TableRoutes {

    private static final String ITEM = "/tables/{table}/items/{partitionKey}/{rowKey}";

    private final Engine engine;
    private final EngineCalls calls;
    private final JsonBodies json;

    TableRoutes(Engine engine, EngineCalls calls, JsonBodies json) {
        this.engine = engine;
        this.calls = calls;
        this.json = json;
    }

    void mount(ApiRoutes routes) {
        routes.put(ITEM, (ctx, body) -> {
            MediaTypes.requireJson(ctx.request(), "the item");
            JsonNode item = json.parse(body, "the item");
            if (!(item instanceof ObjectNode object)) {
                throw ApiError.badRequest("Expected the item to be a JSON object, but it is " + item.getNodeType().toString().toLowerCase());
            }
            Address at = Address.of(ctx);
            return calls.blocking(() -> engine.tables().put(at.table, at.partitionKey, at.rowKey, object))
                    .map(etag -> Reply.ok(JsonNodeFactory.instance.objectNode().put("etag", etag)).withHeader("ETag", quoted(etag)));
        });
        routes.get(ITEM, (ctx, body) -> {
            Address at = Address.of(ctx);
            return calls.blocking(() -> engine.tables().get(at.table, at.partitionKey, at.rowKey)).map(found -> {
                TableItem item = found.orElseThrow(at::notFound);
                return Reply.ok(item.item()).withHeader("ETag", quoted(item.etag()));
            });
        });
        routes.delete(ITEM, (ctx, body) -> {
            Address at = Address.of(ctx);
            return calls.blocking(() -> engine.tables().delete(at.table, at.partitionKey, at.rowKey)).map(deleted -> {
                if (!deleted) {
                    throw at.notFound();
                }
                return Reply.noContent();
            });
        });
        routes.get("/tables/{table}/items", (ctx, body) -> {
            String table = ctx.pathParam("table");
            String partitionKey = QueryParameters.single(ctx.queryParam("partitionKey"), "partitionKey");
            if (partitionKey == null) {
                throw ApiError.badRequest("Expected ?partitionKey= naming the partition of table '" + table + "' to list");
            }
            int limit = QueryParameters.limit(ctx.queryParam("limit"));
            String cursor = QueryParameters.optional(ctx.queryParam("cursor"), "cursor");
            return calls.blocking(() -> engine.tables().query(table, partitionKey, limit, cursor)).map(page -> {
                ObjectNode answer = JsonNodeFactory.instance.objectNode();
                ArrayNode items = answer.putArray("items");
                page.items().forEach(i -> items.add(i.item()));
                answer.put("cursor", page.cursor());
                return Reply.ok(answer);
            });
        });
    }

    private static String quoted(String etag) {
        return "\"" + etag + "\"";
    }

    /** Where an item is, from the path. */
    private record Address(String table, String partitionKey, String rowKey) {

        static Address of(RoutingContext ctx) {
            return new Address(ctx.pathParam("table"), ctx.pathParam("partitionKey"), ctx.pathParam("rowKey"));
        }

        ApiError notFound() {
            return ApiError.notFound("There is no item with PartitionKey '" + partitionKey + "' and RowKey '" + rowKey + "' in table '"
                    + table + "'");
        }
    }
}
