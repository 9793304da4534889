package dev.tributary.connectors.table;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

/**
 * The built-in table connector (SPEC §1, §6): JSON items in named tables, addressed by a partition
 * key and a row key, like Azure Table storage. A partition is read in row-key order (ordinal, as
 * the keys' characters compare). Names, keys and items follow {@link TableRules}; a breach is an
 * {@link IllegalArgumentException} naming what was wrong ({@link TableRules.ItemTooLarge} for the
 * size limit). Methods may block on the database: never call them from an event loop.
 */
public interface TableStore {

    /** The most items one page of {@link #query} holds, whatever limit is asked for. */
    int MAX_PAGE = 1000;

    /**
     * Creates or replaces the item at ({@code partitionKey}, {@code rowKey}); the item stored
     * carries the two keys as its {@code PartitionKey} and {@code RowKey} fields, whatever
     * {@code item} said there.
     *
     * @return the new etag, different for every write
     */
    String put(String table, String partitionKey, String rowKey, ObjectNode item);

    Optional<TableItem> get(String table, String partitionKey, String rowKey);

    /**
     * Items of one partition in row-key order, at most {@code limit} (1 to {@link #MAX_PAGE}).
     *
     * @param cursor null for the first page, else the cursor of the page before
     */
    TablePage query(String table, String partitionKey, int limit, String cursor);

    /** Removes the item; false when there was none. */
    boolean delete(String table, String partitionKey, String rowKey);
}
