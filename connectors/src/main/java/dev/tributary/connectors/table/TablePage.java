package dev.tributary.connectors.table;

import java.util.List;

/** One page of a partition in row-key order; {@code cursor} asks for the next one, null when this is the last. */
public record TablePage(List<TableItem> items, String cursor) {

    public TablePage {
        items = List.copyOf(items);
    }
}
