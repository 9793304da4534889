package dev.tributary.connectors.table;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * What the table connector accepts, checked the same way by every {@link TableStore} and by the
 * {@code table.*} functions: table names {@code [A-Za-z][A-Za-z0-9_-]{0,62}}; keys non-empty, at
 * most {@value #MAX_KEY_BYTES} bytes as UTF-8 and free of {@code / \ # ?} and control characters
 * (Azure Table's rule, which also keeps them usable as URL path segments); an item a JSON object
 * of at most {@value #MAX_ITEM_BYTES} bytes as compact JSON, keys included.
 */
public final class TableRules {

    public static final String PARTITION_KEY = "PartitionKey";
    public static final String ROW_KEY = "RowKey";
    public static final int MAX_KEY_BYTES = 1024;
    /** SPEC §4: 1 MiB, as for any payload. */
    public static final int MAX_ITEM_BYTES = 1 << 20;

    private static final Pattern TABLE = Pattern.compile("[A-Za-z][A-Za-z0-9_-]{0,62}");
    private static final Pattern KEY_FORBIDDEN = Pattern.compile("[/\\\\#?\\x00-\\x1F\\x7F-\\x9F]");

    /** An item over {@link #MAX_ITEM_BYTES}: a limit, not a malformed request (413 / {@code LimitExceeded}). */
    public static final class ItemTooLarge extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        ItemTooLarge(String message) {
            super(message);
        }
    }

    private TableRules() {
    }

    public static void checkTable(String table) {
        if (table == null || !TABLE.matcher(table).matches()) {
            throw new IllegalArgumentException("Expected a table name of a letter then up to 62 letters, digits, '_' or '-', but got "
                    + quoted(table));
        }
    }

    /** @param what {@link #PARTITION_KEY} or {@link #ROW_KEY}, for the message */
    public static void checkKey(String what, String key) {
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("Expected a non-empty " + what + ", but got " + quoted(key));
        }
        int bytes = key.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_KEY_BYTES) {
            throw new IllegalArgumentException("Expected a " + what + " of at most " + MAX_KEY_BYTES + " bytes, but it has " + bytes);
        }
        var forbidden = KEY_FORBIDDEN.matcher(key);
        if (forbidden.find()) {
            throw new IllegalArgumentException("Expected a " + what + " without '/', '\\', '#', '?' or control characters, but '"
                    + key + "' has " + describe(forbidden.group().charAt(0)) + " at index " + forbidden.start());
        }
    }

    public static void checkAddress(String table, String partitionKey, String rowKey) {
        checkTable(table);
        checkKey(PARTITION_KEY, partitionKey);
        checkKey(ROW_KEY, rowKey);
    }

    /** A copy of {@code item} carrying the keys it is stored under. */
    public static ObjectNode withKeys(ObjectNode item, String partitionKey, String rowKey) {
        if (item == null) {
            throw new IllegalArgumentException("Expected an item as a JSON object, but got none");
        }
        ObjectNode stored = item.deepCopy();
        stored.put(PARTITION_KEY, partitionKey);
        stored.put(ROW_KEY, rowKey);
        return stored;
    }

    /** @param json the item as it will be stored */
    public static void checkItemSize(String table, String json) {
        int bytes = json.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_ITEM_BYTES) {
            throw new ItemTooLarge("The item for table '" + table + "' is " + bytes + " bytes, over the limit 'table item' of "
                    + MAX_ITEM_BYTES + " bytes");
        }
    }

    private static String describe(char c) {
        return c < 0x20 || (c >= 0x7F && c <= 0x9F) ? String.format("a control character (U+%04X)", (int) c) : "'" + c + "'";
    }

    private static String quoted(String value) {
        return value == null ? "nothing" : "'" + value + "'";
    }
}
