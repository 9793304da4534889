package dev.tributary.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.engine.api.FakeEngine;
import dev.tributary.engine.api.TestApi;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretCommandTest {

    private final FakeEngine engine = new FakeEngine();
    private final TestApi api = new TestApi(engine);

    @TempDir
    Path dir;

    @AfterEach
    void stop() {
        SecretCommand.stdin = System.in;
        api.close();
    }

    @Test
    void setsAValueGivenAsAnOption() {
        CliRun run = CliRun.against(api, "secret", "set", "gh-token", "--value", "s3cr3t");

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out().trim()).isEqualTo("secret gh-token set");
        assertThat(engine.secretValues).containsEntry("gh-token", "s3cr3t");
    }

    @Test
    void readsTheValueFromStandardInputWithoutItsTrailingNewline() {
        // given
        SecretCommand.stdin = new ByteArrayInputStream("line one\nline two\n".getBytes(StandardCharsets.UTF_8));

        // when
        CliRun run = CliRun.against(api, "secret", "set", "multi");

        // then
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(engine.secretValues).containsEntry("multi", "line one\nline two");
        assertThat(run.out()).doesNotContain("line one");
    }

    @Test
    void readsTheValueFromAFile() throws IOException {
        Path file = Files.writeString(dir.resolve("token.txt"), "from-file\r\n");

        CliRun run = CliRun.against(api, "secret", "set", "tok", "--from-file", file.toString(), "-o", "json");

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out().trim()).isEqualTo("{\"name\":\"tok\"}");
        assertThat(engine.secretValues).containsEntry("tok", "from-file");
    }

    @Test
    void listsNamesAndDeletes() {
        // given
        engine.secretValues.put("b", "value-b");
        engine.secretValues.put("a", "value-a");

        // when
        CliRun list = CliRun.against(api, "secret", "list");
        CliRun delete = CliRun.against(api, "secret", "delete", "a");
        CliRun again = CliRun.against(api, "secret", "delete", "a");

        // then
        assertThat(list.exit()).isZero();
        assertThat(list.outLines()).containsExactly("NAME  UPDATED", "a     2026-01-02T03:04:05Z", "b     2026-01-02T03:04:05Z");
        assertThat(list.out()).doesNotContain("value-");
        assertThat(delete.exit()).isZero();
        assertThat(delete.out().trim()).isEqualTo("secret a deleted");
        assertThat(engine.secretValues).containsOnlyKeys("b");
        assertThat(again.exit()).isEqualTo(2);
        assertThat(again.err().trim()).isEqualTo("trib: There is no secret 'a'; GET /api/v1/secrets lists the stored ones");
    }

    @Test
    void refusesTwoValuesAndAnEmptyOne() {
        SecretCommand.stdin = new ByteArrayInputStream("\n".getBytes(StandardCharsets.UTF_8));

        CliRun both = CliRun.against(api, "secret", "set", "tok", "--value", "x", "--from-file", "f");
        CliRun empty = CliRun.against(api, "secret", "set", "tok");

        assertThat(both.exit()).isEqualTo(2);
        assertThat(both.err().trim()).isEqualTo("trib: give the value of secret tok once: --value or --from-file, not both");
        assertThat(empty.exit()).isEqualTo(2);
        assertThat(empty.err().trim()).isEqualTo("trib: the value of secret tok is empty");
        assertThat(engine.secretValues).isEmpty();
    }
}
