package dev.tributary.engine.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.connectors.table.TableItem;
import dev.tributary.connectors.table.TablePage;
import dev.tributary.connectors.table.TableRules;
import dev.tributary.connectors.table.TableStore;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link TableStore} must do. A backend's test extends this and says how to open a
 * store (a {@link RunStore} whose {@code tables()} is tested) and how to open the same data again.
 */
abstract class TableStoreContract {

    protected static final Instant NOW = Instant.parse("2026-03-01T09:00:00.123456Z");
    protected static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final ObjectMapper JSON = new ObjectMapper();

    protected RunStore store;

    protected abstract RunStore openStore();

    protected abstract RunStore reopenStore();

    @BeforeEach
    void open() {
        store = openStore();
    }

    @AfterEach
    void close() {
        store.close();
    }

    private TableStore tables() {
        return store.tables();
    }

    @Test
    void givesBackAPutItemWithItsKeysAfterAReopen() {
        // when
        String etag = tables().put("customers", "eu", "c-1", item("{\"name\":\"Ada\",\"tags\":[\"vip\"],\"credit\":12.5}"));
        store.close();
        store = reopenStore();

        // then
        TableItem read = tables().get("customers", "eu", "c-1").orElseThrow();
        assertThat(read.item()).isEqualTo(item(
                "{\"name\":\"Ada\",\"tags\":[\"vip\"],\"credit\":12.5,\"PartitionKey\":\"eu\",\"RowKey\":\"c-1\"}"));
        assertThat(read.etag()).isEqualTo(etag).isNotBlank();
        assertThat(read.updatedAt()).isEqualTo(NOW);
        assertThat(tables().get("customers", "eu", "c-2")).isEmpty();
        assertThat(tables().get("customers", "us", "c-1")).isEmpty();
        assertThat(tables().get("orders", "eu", "c-1")).isEmpty();
    }

    @Test
    void aPutReplacesTheWholeItemWithANewEtagAndTheGivenKeysWin() {
        // given
        String first = tables().put("customers", "eu", "c-1", item("{\"name\":\"Ada\",\"city\":\"London\"}"));

        // when
        String second = tables().put("customers", "eu", "c-1", item("{\"name\":\"Ada L.\",\"PartitionKey\":\"us\",\"RowKey\":\"x\"}"));

        // then
        TableItem read = tables().get("customers", "eu", "c-1").orElseThrow();
        assertThat(read.item()).isEqualTo(item("{\"name\":\"Ada L.\",\"PartitionKey\":\"eu\",\"RowKey\":\"c-1\"}"));
        assertThat(read.etag()).isEqualTo(second).isNotEqualTo(first);
        assertThat(tables().get("customers", "us", "x")).isEmpty();
    }

    @Test
    void listsOnePartitionInOrdinalRowKeyOrderPageByPage() {
        // given: row keys whose ordinal order differs from a locale's, and neighbours that must not show
        List<String> rowKeys = List.of("b", "B", "a1", "a-1", "ab", "a", "\u00e9", "A");
        rowKeys.forEach(rk -> tables().put("things", "p", rk, item("{\"v\":\"" + rk + "\"}")));
        tables().put("things", "q", "a", item("{}"));
        tables().put("things", "o", "z", item("{}"));
        tables().put("other", "p", "a", item("{}"));

        // when
        List<String> seen = new ArrayList<>();
        List<String> cursors = new ArrayList<>();
        String cursor = null;
        do {
            TablePage page = tables().query("things", "p", 3, cursor);
            page.items().forEach(i -> seen.add(i.item().get("v").asText()));
            assertThat(page.items()).allSatisfy(i -> assertThat(i.partitionKey()).isEqualTo("p"));
            cursor = page.cursor();
            cursors.add(cursor);
        } while (cursor != null);

        // then
        assertThat(seen).containsExactly("A", "B", "a", "a-1", "a1", "ab", "b", "\u00e9");
        assertThat(cursors).hasSize(3);
        assertThat(tables().query("things", "p", 8, null).cursor()).isNull();
        assertThat(tables().query("things", "none", 10, null).items()).isEmpty();
    }

    @Test
    void deleteRemovesTheItemAndSaysWhetherThereWasOne() {
        // given
        tables().put("customers", "eu", "c-1", item("{}"));
        tables().put("customers", "eu", "c-2", item("{}"));

        // when
        boolean first = tables().delete("customers", "eu", "c-1");
        boolean again = tables().delete("customers", "eu", "c-1");

        // then
        assertThat(first).isTrue();
        assertThat(again).isFalse();
        assertThat(tables().get("customers", "eu", "c-1")).isEmpty();
        assertThat(tables().query("customers", "eu", 10, null).items()).extracting(TableItem::rowKey).containsExactly("c-2");
    }

    @Test
    void holdsKeysAndItemsUpToTheirLimits() {
        // given: keys of 1024 bytes (here 512 two-byte characters) and an item just under 1 MiB
        String longKey = "\u00e9".repeat(512);
        ObjectNode big = item("{}");
        String filler = "x".repeat(TableRules.MAX_ITEM_BYTES - 4096);
        big.put("data", filler);

        // when
        tables().put("big", longKey, longKey, big);

        // then
        TableItem read = tables().get("big", longKey, longKey).orElseThrow();
        assertThat(read.item().get("data").asText()).hasSize(filler.length());
        assertThat(read.rowKey()).isEqualTo(longKey);
    }

    @Test
    void refusesBadNamesKeysCursorsAndItemsOverTheLimit() {
        ObjectNode tooBig = item("{}").put("data", "x".repeat(TableRules.MAX_ITEM_BYTES));

        assertThatThrownBy(() -> tables().put("1st", "p", "r", item("{}"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Expected a table name").hasMessageContaining("'1st'");
        assertThatThrownBy(() -> tables().put("t".repeat(64), "p", "r", item("{}"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> tables().put("t", "", "r", item("{}"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Expected a non-empty PartitionKey, but got ''");
        assertThatThrownBy(() -> tables().get("t", "p", "a/b")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("RowKey without '/'").hasMessageContaining("'/' at index 1");
        assertThatThrownBy(() -> tables().get("t", "p", "x".repeat(1025))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at most 1024 bytes, but it has 1025");
        assertThatThrownBy(() -> tables().put("t", "p", "r", tooBig)).isInstanceOf(TableRules.ItemTooLarge.class)
                .hasMessageContaining("over the limit 'table item' of 1048576 bytes");
        assertThatThrownBy(() -> tables().query("t", "p", 10, "not base64!")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Expected a cursor returned with a previous page of table 't'");
        assertThatThrownBy(() -> tables().query("t", "p", 0, null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Expected a limit from 1 to 1000, but got 0");
        assertThat(tables().get("t", "p", "r")).isEmpty();
    }

    @Test
    void putsOfOneNewItemAtOnceAllSucceedAndTheLastWriteStays() {
        // when: eight writers create the same item at once
        List<CompletableFuture<String>> puts = IntStream.range(0, 8)
                .mapToObj(i -> CompletableFuture.supplyAsync(() -> tables().put("race", "p", "r", item("{\"writer\":" + i + "}"))))
                .toList();
        List<String> etags = puts.stream().map(CompletableFuture::join).toList();

        // then
        TableItem read = tables().get("race", "p", "r").orElseThrow();
        assertThat(etags).doesNotHaveDuplicates().contains(read.etag());
        assertThat(etags.indexOf(read.etag())).isEqualTo(read.item().get("writer").asInt());
        assertThat(tables().query("race", "p", 10, null).items()).hasSize(1);
    }

    static ObjectNode item(String json) {
        try {
            return (ObjectNode) JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }
}
