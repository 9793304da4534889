package dev.tributary.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tributary.engine.api.NodeServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code trib table put|get|query|delete} against a real node. */
class TableCommandTest {

    @TempDir
    Path dir;
    private NodeServer server;

    @BeforeEach
    void start() throws IOException {
        server = NodeServer.start(dir);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void putsAnItemInlineOrFromAFileAndGetsItBack() throws IOException {
        // given
        Path file = Files.writeString(dir.resolve("bea.json"), "{\"name\": \"Bea\", \"tier\": \"gold\"}");

        // when
        CliRun put = trib("table", "put", "customers", "eu", "ada lovelace", "--item", "{\"name\": \"Ada\"}");
        CliRun fromFile = trib("table", "put", "customers", "eu", "bea", "--item", "@" + file, "-o", "json");
        CliRun get = trib("table", "get", "customers", "eu", "ada lovelace");

        // then
        assertThat(put.exit()).as(put.err()).isZero();
        assertThat(put.out()).startsWith("etag ");
        assertThat(fromFile.exit()).as(fromFile.err()).isZero();
        assertThat(json(fromFile.out()).get("etag").asText()).isNotBlank();
        assertThat(get.exit()).as(get.err()).isZero();
        assertThat(json(get.out())).isEqualTo(json(
                "{\"name\": \"Ada\", \"PartitionKey\": \"eu\", \"RowKey\": \"ada lovelace\"}"));
    }

    @Test
    void listsAPartitionAsATableWithAHintForTheNextPage() {
        // given
        for (String rk : List.of("c", "a", "b")) {
            assertThat(trib("table", "put", "things", "p", rk, "--item", "{\"v\": \"" + rk + "\"}").exit()).isZero();
        }

        // when
        CliRun firstPage = trib("table", "query", "things", "--partition-key", "p", "--limit", "2");
        String cursor = firstPage.outLines().get(3).replaceAll(".* --cursor ", "");
        CliRun secondPage = trib("table", "query", "things", "--partition-key", "p", "--limit", "2", "--cursor", cursor);
        CliRun json = trib("table", "query", "things", "--partition-key", "p", "-o", "json");

        // then
        assertThat(firstPage.exit()).as(firstPage.err()).isZero();
        assertThat(firstPage.outLines().get(0)).startsWith("ROW KEY").contains("ITEM");
        assertThat(firstPage.outLines().get(1)).startsWith("a").contains("{\"v\":\"a\"}").doesNotContain("PartitionKey");
        assertThat(firstPage.outLines().get(2)).startsWith("b");
        assertThat(firstPage.outLines().get(3)).startsWith("more: trib table query things --partition-key p --limit 2 --cursor ");
        assertThat(secondPage.outLines()).hasSize(2);
        assertThat(secondPage.outLines().get(1)).startsWith("c");
        JsonNode all = json(json.out());
        assertThat(all.get("items")).hasSize(3);
        assertThat(all.get("cursor").isNull()).isTrue();
    }

    @Test
    void deletesAnItemAndSaysSoWhenThereIsNone() {
        // given
        trib("table", "put", "customers", "eu", "c-1", "--item", "{}");

        // when
        CliRun deleted = trib("table", "delete", "customers", "eu", "c-1");
        CliRun again = trib("table", "delete", "customers", "eu", "c-1");
        CliRun get = trib("table", "get", "customers", "eu", "c-1");

        // then
        assertThat(deleted.exit()).as(deleted.err()).isZero();
        assertThat(deleted.out().trim()).isEqualTo("deleted");
        assertThat(again.exit()).isEqualTo(2);
        assertThat(again.err().trim()).isEqualTo("trib: There is no item with PartitionKey 'eu' and RowKey 'c-1' in table 'customers'");
        assertThat(get.exit()).isEqualTo(2);
    }

    @Test
    void refusesABadItemBeforeOrAtTheServer() {
        // when
        CliRun notJson = trib("table", "put", "customers", "eu", "c-1", "--item", "{oops");
        CliRun badTable = trib("table", "put", "9lives", "eu", "c-1", "--item", "{}");

        // then
        assertThat(notJson.exit()).isNotZero();
        assertThat(notJson.err()).contains("--item");
        assertThat(badTable.exit()).isEqualTo(2);
        assertThat(badTable.err()).startsWith("trib: Expected a table name");
    }

    private CliRun trib(String... args) {
        return CliRun.against(server, args);
    }

    /** What a command printed, read as JSON. */
    private static JsonNode json(String text) {
        try {
            return JsonText.MAPPER.readTree(text);
        } catch (IOException e) {
            throw new IllegalStateException("not JSON: " + text, e);
        }
    }
}
