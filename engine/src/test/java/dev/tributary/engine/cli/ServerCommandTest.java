package dev.tributary.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerCommandTest {

    @TempDir
    Path dataDir;

    @Test
    void refusesANegativePricePerGbSecondBeforeStarting() {
        CliRun run = CliRun.exec("server", "--port", "0", "--data-dir", dataDir.toString(), "--price-per-gb-second", "-0.1");

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("--price-per-gb-second: Expected a price per GB-second of 0 or more, but got -0.1");
        assertThat(dataDir.resolve("server.json")).doesNotExist();
    }
}
