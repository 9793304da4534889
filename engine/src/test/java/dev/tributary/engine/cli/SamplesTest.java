package dev.tributary.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.dsl.load.SourceText;
import dev.tributary.engine.api.FakeEngine;
import dev.tributary.engine.node.CodeUpload;
import dev.tributary.functions.code.CodeArchive;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SamplesTest {

    @TempDir
    Path dir;

    private final FakeEngine engine = new FakeEngine();
    private final StringWriter out = new StringWriter();

    @Test
    void deploysTheSampleFilesWithTheCodeTheirFunctionsName() throws IOException {
        // given
        Files.writeString(dir.resolve("hello.yaml"), "function: hello\nruntime: python\ncode: fn/hello.py\n");
        Files.createDirectories(dir.resolve("fn"));
        Files.writeString(dir.resolve("fn/hello.py"), "def main(args):\n    return {'hello': 'world'}\n");

        // when
        Samples.deploy(engine, dir, new PrintWriter(out, true));

        // then
        assertThat(engine.deploys.get(0)).extracting(SourceText::name).containsExactly("hello.yaml");
        assertThat(engine.codeUploads.get(0)).containsExactly(new CodeUpload("fn/hello.py",
                CodeArchive.pack(dir.resolve("fn/hello.py")).bytes()));
        assertThat(out.toString()).contains("samples:");
    }

    @Test
    void saysWhichCodeIsMissingAndDeploysNothing() throws IOException {
        // given
        Files.writeString(dir.resolve("hello.yaml"), "function: hello\nruntime: python\ncode: fn/hello.py\n",
                StandardCharsets.UTF_8);

        // when
        Samples.deploy(engine, dir, new PrintWriter(out, true));

        // then
        assertThat(engine.deploys).isEmpty();
        assertThat(out.toString()).contains("none deployed").contains("hello.yaml:3:7: code: no file or directory at "
                + dir.resolve("fn/hello.py"));
    }
}
