package dev.tributary.engine.node;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.connectors.table.TableItem;
import dev.tributary.connectors.table.TablePage;
import dev.tributary.connectors.table.TableRules;
import dev.tributary.connectors.table.TableStore;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The node's table store as the API sees it: what {@link TableRules} refuses is an
 * {@link EngineException} (BAD_REQUEST, or LIMIT_EXCEEDED for an item over the size limit).
 */
final class EngineTables implements TableStore {

    private final TableStore tables;

    EngineTables(TableStore tables) {
        this.tables = tables;
    }

    @Override
    public String put(String table, String partitionKey, String rowKey, ObjectNode item) {
        return checked(() -> tables.put(table, partitionKey, rowKey, item));
    }

    @Override
    public Optional<TableItem> get(String table, String partitionKey, String rowKey) {
        return checked(() -> tables.get(table, partitionKey, rowKey));
    }

    @Override
    public TablePage query(String table, String partitionKey, int limit, String cursor) {
        return checked(() -> tables.query(table, partitionKey, limit, cursor));
    }

    @Override
    public boolean delete(String table, String partitionKey, String rowKey) {
        return checked(() -> tables.delete(table, partitionKey, rowKey));
    }

    private static <T> T checked(Supplier<T> call) {
        try {
            return call.get();
        } catch (TableRules.ItemTooLarge e) {
            throw new EngineException(EngineException.Code.LIMIT_EXCEEDED, e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new EngineException(EngineException.Code.BAD_REQUEST, e.getMessage());
        }
    }
}
