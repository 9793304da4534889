package dev.tributary.engine.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.connectors.table.TableItem;
import dev.tributary.connectors.table.TablePage;
import dev.tributary.connectors.table.TableRules;
import dev.tributary.connectors.table.TableStore;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * {@link TableStore} in the {@code table_items} table of the node's database. A put is an update,
 * else an insert, in one transaction; when two puts of a new item race, the loser's insert hits
 * the primary key and it tries again, finding the row to update.
 */
final class JdbcTableStore implements TableStore {

    private static final int PUT_ATTEMPTS = 3;

    private final Database db;
    private final Clock clock;

    JdbcTableStore(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    @Override
    public String put(String table, String partitionKey, String rowKey, ObjectNode item) {
        TableRules.checkAddress(table, partitionKey, rowKey);
        String json = Columns.text(TableRules.withKeys(item, partitionKey, rowKey));
        TableRules.checkItemSize(table, json);
        String etag = UUID.randomUUID().toString();
        long now = Columns.micros(clock.instant());
        String what = "put item " + address(table, partitionKey, rowKey);
        for (int attempt = 1; ; attempt++) {
            try {
                return db.inTransaction(what, c -> {
                    int updated = Rows.update(c, "UPDATE table_items SET item = ?, etag = ?, updated_at = ?"
                            + " WHERE table_name = ? AND partition_key = ? AND row_key = ?", ps -> {
                                ps.setString(1, json);
                                ps.setString(2, etag);
                                ps.setLong(3, now);
                                ps.setString(4, table);
                                ps.setString(5, partitionKey);
                                ps.setString(6, rowKey);
                            });
                    if (updated == 0) {
                        Rows.update(c, "INSERT INTO table_items (table_name, partition_key, row_key, item, etag, updated_at)"
                                + " VALUES (?, ?, ?, ?, ?, ?)", ps -> {
                                    ps.setString(1, table);
                                    ps.setString(2, partitionKey);
                                    ps.setString(3, rowKey);
                                    ps.setString(4, json);
                                    ps.setString(5, etag);
                                    ps.setLong(6, now);
                                });
                    }
                    return etag;
                });
            } catch (StoreException e) {
                if (attempt == PUT_ATTEMPTS || !(e.getCause() instanceof SQLException sql && Columns.isUniqueViolation(sql))) {
                    throw e;
                }
            }
        }
    }

    @Override
    public Optional<TableItem> get(String table, String partitionKey, String rowKey) {
        TableRules.checkAddress(table, partitionKey, rowKey);
        return Optional.ofNullable(db.read("read item " + address(table, partitionKey, rowKey), c -> Rows.first(c,
                "SELECT item, etag, updated_at FROM table_items WHERE table_name = ? AND partition_key = ? AND row_key = ?", ps -> {
                    ps.setString(1, table);
                    ps.setString(2, partitionKey);
                    ps.setString(3, rowKey);
                }, JdbcTableStore::item)));
    }

    @Override
    public TablePage query(String table, String partitionKey, int limit, String cursor) {
        TableRules.checkTable(table);
        TableRules.checkKey(TableRules.PARTITION_KEY, partitionKey);
        if (limit < 1 || limit > MAX_PAGE) {
            throw new IllegalArgumentException("Expected a limit from 1 to " + MAX_PAGE + ", but got " + limit);
        }
        String after = afterRowKey(cursor, table);
        List<TableItem> rows = db.read("list partition '" + partitionKey + "' of table '" + table + "'", c -> Rows.all(c,
                "SELECT item, etag, updated_at FROM table_items WHERE table_name = ? AND partition_key = ?"
                        + (after == null ? "" : " AND row_key > ?") + " ORDER BY row_key LIMIT ?", ps -> {
                    ps.setString(1, table);
                    ps.setString(2, partitionKey);
                    int next = 3;
                    if (after != null) {
                        ps.setString(next++, after);
                    }
                    ps.setInt(next, limit + 1); // one more tells whether there is a next page
                }, JdbcTableStore::item));
        if (rows.size() <= limit) {
            return new TablePage(rows, null);
        }
        List<TableItem> page = rows.subList(0, limit);
        String last = page.get(limit - 1).rowKey();
        return new TablePage(page, Base64.getUrlEncoder().withoutPadding().encodeToString(last.getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public boolean delete(String table, String partitionKey, String rowKey) {
        TableRules.checkAddress(table, partitionKey, rowKey);
        return db.inTransaction("delete item " + address(table, partitionKey, rowKey), c -> Rows.update(c,
                "DELETE FROM table_items WHERE table_name = ? AND partition_key = ? AND row_key = ?", ps -> {
                    ps.setString(1, table);
                    ps.setString(2, partitionKey);
                    ps.setString(3, rowKey);
                })) > 0;
    }

    /** The row key a cursor continues after, or null for a first page. */
    private static String afterRowKey(String cursor, String table) {
        if (cursor == null || cursor.isEmpty()) {
            return null;
        }
        try {
            return new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Expected a cursor returned with a previous page of table '" + table + "', but got '"
                    + cursor + "'", e);
        }
    }

    private static TableItem item(ResultSet rs) throws SQLException {
        JsonNode item = Columns.json(rs, "item");
        if (!(item instanceof ObjectNode object)) {
            throw new IllegalStateException("Expected a table item in the store to be a JSON object, but found " + item.getNodeType());
        }
        Instant updatedAt = Columns.instant(rs, "updated_at");
        return new TableItem(object, rs.getString("etag"), updatedAt);
    }

    private static String address(String table, String partitionKey, String rowKey) {
        return "('" + partitionKey + "', '" + rowKey + "') of table '" + table + "'";
    }
}
