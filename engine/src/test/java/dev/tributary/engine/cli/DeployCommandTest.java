package dev.tributary.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.tributary.dsl.load.SourceText;
import dev.tributary.engine.api.FakeEngine;
import dev.tributary.engine.api.TestApi;
import dev.tributary.engine.node.EngineException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeployCommandTest {

    private final FakeEngine engine = new FakeEngine();
    private final TestApi api = new TestApi(engine);

    @TempDir
    Path dir;

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void deploysEveryFileInOneRequestAndPrintsWhatWasDeployed() throws IOException {
        // given: the workflow calls the function of the other file, and comes first
        Path workflow = write("hello.json", "{\"workflow\": \"hello\", \"steps\": [{\"name\": \"hi\", \"call\": \"greet\"}]}");
        Path functions = write("functions.yaml", "function: greet\nruntime: expr\nexpr: ${ input }\n");

        // when
        CliRun run = CliRun.against(api, "deploy", workflow.toString(), functions.toString());

        // then: one deploy holding both files, named as the user named them
        assertThat(run.exit()).isZero();
        assertThat(engine.deploys).hasSize(1);
        assertThat(engine.deploys.get(0)).extracting(SourceText::name).containsExactly(workflow.toString(), functions.toString());
        assertThat(engine.deploys.get(0).get(1).text()).isEqualTo("function: greet\nruntime: expr\nexpr: ${ input }\n");
        assertThat(run.outLines()).first().asString().startsWith("KIND").contains("NAME").contains("VERSION");
        assertThat(run.out()).contains("workflow  hello  3");
    }

    @Test
    void sendsADirectorysDefinitionFilesSortedAndEachFileOnce() throws IOException {
        // given
        Path defs = Files.createDirectories(dir.resolve("defs"));
        Files.writeString(defs.resolve("b.yaml"), "workflow: b\n");
        Files.writeString(defs.resolve("a.yml"), "function: a\n");
        Files.writeString(defs.resolve("notes.txt"), "not a definition");

        // when
        CliRun run = CliRun.against(api, "deploy", defs.toString(), defs.resolve("b.yaml").toString());

        // then
        assertThat(run.exit()).isZero();
        assertThat(engine.deploys).hasSize(1);
        assertThat(engine.deploys.get(0)).extracting(SourceText::name)
                .containsExactly(defs.resolve("a.yml").toString(), defs.resolve("b.yaml").toString());
    }

    @Test
    void sendsAwkwardPathsUnderStandInNamesAndReportsThemAsGiven() throws IOException {
        // given: a colon the server's decoder would rewrite, and a file whose name is not a definition's
        Path colon = write("a:b.yaml", "workflow: a\n");
        Path text = write("defs.txt", "function: f\n");
        engine.failDeploysWith(new EngineException(EngineException.Code.INVALID_DEFINITION, "1 problem", List.of(
                JsonNodeFactory.instance.objectNode().put("file", "file-1.yaml").put("line", 1).put("column", 11)
                        .put("path", "workflow").put("message", "a workflow needs steps"))));

        // when
        CliRun run = CliRun.against(api, "deploy", colon.toString(), text.toString());

        // then
        assertThat(engine.deploys.get(0)).extracting(SourceText::name).containsExactly("file-1.yaml", "file-2.yaml");
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).contains(colon + ":1:11: workflow: a workflow needs steps");
    }

    @Test
    void printsTheRawAnswerAsJson() throws IOException {
        CliRun run = CliRun.against(api, "deploy", write("a.yaml", "workflow: a").toString(), "-o", "json");

        assertThat(run.exit()).isZero();
        assertThat(run.out().trim()).isEqualTo("{\"deployed\":[{\"kind\":\"function\",\"name\":\"greet\",\"version\":1},"
                + "{\"kind\":\"workflow\",\"name\":\"hello\",\"version\":3}]}");
    }

    @Test
    void printsEachProblemWithItsPlaceDeploysNothingAndExits1() throws IOException {
        // given
        Path file = write("bad.yaml", "workflow: bad\n");
        Path other = write("other.yaml", "workflow: other\n");
        engine.failDeploysWith(new EngineException(EngineException.Code.INVALID_DEFINITION, "2 problems", List.of(
                JsonNodeFactory.instance.objectNode().put("file", file.toString()).put("line", 3).put("column", 9)
                        .put("path", "steps[0].next").put("message", "there is no step 'nope'"),
                JsonNodeFactory.instance.objectNode().put("file", file.toString()).put("line", 1).put("column", 1)
                        .put("path", "").put("message", "a workflow needs steps"))));

        // when
        CliRun run = CliRun.against(api, "deploy", file.toString(), other.toString());

        // then
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).contains(file + ":3:9: steps[0].next: there is no step 'nope'")
                .contains(file + ":1:1: a workflow needs steps")
                .contains("trib: nothing was deployed (2 problems in 1 file)");
        assertThat(run.out()).isEmpty();
        assertThat(engine.deploys).hasSize(1);
        assertThat(engine.deploys.get(0)).hasSize(2);
    }

    @Test
    void failsWithOneLineWhenAFileIsMissingOrTheServerIsDown() {
        CliRun missing = CliRun.against(api, "deploy", dir.resolve("nope.yaml").toString());
        CliRun down = CliRun.exec("deploy", "--server", "http://127.0.0.1:1", "--api-key", "k", "--data-dir", dir.toString(),
                writeQuietly("x.yaml"));

        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err().trim()).isEqualTo("trib: cannot read " + dir.resolve("nope.yaml") + ": no such file");
        assertThat(down.exit()).isEqualTo(2);
        assertThat(down.err().trim()).startsWith("trib: cannot reach the server at http://127.0.0.1:1").doesNotContain("\n");
    }

    @Test
    void reportsAWrongKeyInOneLine() throws IOException {
        CliRun run = CliRun.exec("deploy", write("a.yaml", "workflow: a").toString(), "--server", api.url(), "--api-key", "wrong");

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err().trim()).startsWith("trib: The API key").contains("--api-key").doesNotContain("\n");
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    private String writeQuietly(String name) {
        try {
            return write(name, "workflow: x").toString();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
