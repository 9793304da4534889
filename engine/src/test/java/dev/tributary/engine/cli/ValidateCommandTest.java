package dev.tributary.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code trib validate} still reads files and directories the way it did before {@code deploy} shared the reading. */
class ValidateCommandTest {

    @TempDir
    Path dir;

    @Test
    void validatesADirectoryOfDefinitions() throws IOException {
        Files.writeString(dir.resolve("hello.yaml"), "workflow: hello\nsteps:\n  - name: greet\n    set: { greeting: hi }\n");
        Files.writeString(dir.resolve("notes.txt"), "not a definition");

        CliRun run = CliRun.exec("validate", dir.toString());

        assertThat(run.exit()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).startsWith("OK: 1 file, 1 workflow");
    }

    @Test
    void namesAFileItCannotRead() {
        CliRun run = CliRun.exec("validate", dir.resolve("missing.yaml").toString());

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err().trim()).isEqualTo("trib: cannot read " + dir.resolve("missing.yaml") + ": no such file");
    }
}
