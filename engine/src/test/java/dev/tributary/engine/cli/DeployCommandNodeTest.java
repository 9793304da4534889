package dev.tributary.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.engine.api.NodeServer;
import dev.tributary.engine.node.FunctionInfo;
import dev.tributary.engine.node.WorkflowInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code trib deploy} against a real node: files that refer to each other are validated and deployed as one set. */
class DeployCommandNodeTest {

    private static final String WORKFLOW = """
            workflow: hello
            steps:
              - name: hi
                call: greet
            """;
    private static final String FUNCTION = """
            function: greet
            runtime: expr
            expr: ${ input }
            """;

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
    void deploysAWorkflowTogetherWithTheFunctionItCallsFromAnotherFile() throws IOException {
        // given: the workflow's file comes first; alone it would not validate
        Path workflow = write("hello.yaml", WORKFLOW);
        Path function = write("greet.yaml", FUNCTION);

        // when
        CliRun alone = deploy(workflow);
        CliRun run = deploy(workflow, function);

        // then
        assertThat(alone.exit()).isEqualTo(1);
        assertThat(alone.err()).contains(workflow + ":4:").contains("greet");
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("function  greet  1").contains("workflow  hello  1");
        assertThat(server.node.workflows()).extracting(WorkflowInfo::name).containsExactly("hello");
        assertThat(server.node.functions()).extracting(FunctionInfo::name).containsExactly("greet");
    }

    @Test
    void deploysNothingWhenOneFileOfTheSetIsInvalidAndPointsAtIt() throws IOException {
        // given
        Path function = write("greet.yaml", FUNCTION);
        Path workflow = write("hello.yaml", WORKFLOW.replace("call: greet", "call: nope"));

        // when
        CliRun run = deploy(function, workflow);

        // then
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).contains(workflow + ":4:").contains("nope").contains("trib: nothing was deployed (1 problem in 1 file)");
        assertThat(server.node.functions()).isEmpty();
        assertThat(server.node.workflows()).isEmpty();
    }

    private CliRun deploy(Path... files) {
        String[] args = new String[files.length + 1];
        args[0] = "deploy";
        for (int i = 0; i < files.length; i++) {
            args[i + 1] = files[i].toString();
        }
        return CliRun.against(server, args);
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }
}
