package dev.tributary.connectors.table;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * A stored item: the JSON object (with its {@code PartitionKey} and {@code RowKey}), the etag of
 * the write that made it, and when that was.
 */
public record TableItem(ObjectNode item, String etag, Instant updatedAt) {

    public String partitionKey() {
        return item.path(TableRules.PARTITION_KEY).asText();
    }

    public String rowKey() {
        return item.path(TableRules.ROW_KEY).asText();
    }
}
