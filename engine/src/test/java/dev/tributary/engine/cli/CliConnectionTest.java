package dev.tributary.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.engine.api.FakeEngine;
import dev.tributary.engine.api.TestApi;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where client commands find the server and its key: flags, then environment, then the data directory. */
class CliConnectionTest {

    @TempDir
    Path dataDir;

    @AfterEach
    void restoreEnvironment() {
        ClientOptions.environment = System.getenv();
    }

    @Test
    void prefersFlagsThenEnvironmentThenTheDataDirectory() throws IOException {
        // given
        LocalServer.write(dataDir, "http://127.0.0.1:9001", ProcessHandle.current().pid());
        Files.writeString(dataDir.resolve("admin.key"), "local-key\n");
        Map<String, String> env = Map.of("TRIBUTARY_URL", "http://env.example:9002", "TRIBUTARY_API_KEY", "env-key");

        // when
        ServerConnection flags = ServerConnection.resolve("http://flag.example:9003/", "flag-key", dataDir, env);
        ServerConnection environment = ServerConnection.resolve(null, null, dataDir, env);
        ServerConnection local = ServerConnection.resolve(null, null, dataDir, Map.of());
        ServerConnection mixed = ServerConnection.resolve("http://flag.example:9003/api/v1", null, dataDir, Map.of());

        // then
        assertThat(flags).isEqualTo(new ServerConnection(java.net.URI.create("http://flag.example:9003"), "flag-key"));
        assertThat(environment).isEqualTo(new ServerConnection(java.net.URI.create("http://env.example:9002"), "env-key"));
        assertThat(local).isEqualTo(new ServerConnection(java.net.URI.create("http://127.0.0.1:9001"), "local-key"));
        assertThat(mixed).isEqualTo(new ServerConnection(java.net.URI.create("http://flag.example:9003"), "local-key"));
    }

    @Test
    void saysHowToNameAServerWhenThereIsNone() {
        assertThatThrownBy(() -> ServerConnection.resolve(null, null, dataDir, Map.of()))
                .isInstanceOf(CliFailure.class)
                .hasMessageContaining("--server URL").hasMessageContaining("TRIBUTARY_URL").hasMessageContaining("trib server")
                .hasMessageContaining(dataDir.resolve("server.json").toString());
        assertThatThrownBy(() -> ServerConnection.resolve("ftp://x", null, dataDir, Map.of()))
                .hasMessageContaining("is not a server URL");
    }

    @Test
    void talksToTheLocalServerOfTheDataDirectory() throws IOException {
        // given
        ClientOptions.environment = Map.of();
        try (TestApi api = new TestApi(new FakeEngine().withFunction("greet"))) {
            LocalServer.write(dataDir, api.url(), ProcessHandle.current().pid());
            Files.writeString(dataDir.resolve("admin.key"), TestApi.KEY);

            // when
            CliRun run = CliRun.exec("fn", "list", "--data-dir", dataDir.toString());

            // then
            assertThat(run.exit()).isZero();
            assertThat(run.out()).contains("greet");
        }
    }

    @Test
    void failsInOneLineWithoutAServer() {
        ClientOptions.environment = Map.of();

        CliRun run = CliRun.exec("runs", "list", "--data-dir", dataDir.toString());

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).startsWith("trib: no server to talk to").hasLineCount(1);
    }
}
