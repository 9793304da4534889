package dev.tributary.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link LocalServer}: the record of the running local node in its data directory. */
class CliLocalServerTest {

    private static final long ME = ProcessHandle.current().pid();

    @TempDir
    Path dataDir;

    @Test
    void writesFindsAndClearsTheRecord() throws IOException {
        // when
        LocalServer.write(dataDir, "http://127.0.0.1:8080", ME);

        // then
        assertThat(LocalServer.find(dataDir)).contains(new LocalServer("http://127.0.0.1:8080", ME));
        assertThat(Files.readString(dataDir.resolve("server.json")).trim())
                .isEqualTo("{\"url\":\"http://127.0.0.1:8080\",\"pid\":" + ME + "}");

        LocalServer.clear(dataDir);
        assertThat(LocalServer.find(dataDir)).isEmpty();
        assertThat(dataDir.resolve("server.json")).doesNotExist();
    }

    @Test
    void replacesAnOlderRecord() {
        LocalServer.write(dataDir, "http://127.0.0.1:1111", ME);
        LocalServer.write(dataDir, "http://127.0.0.1:2222", ME);

        assertThat(LocalServer.find(dataDir).map(LocalServer::url)).hasValue("http://127.0.0.1:2222");
    }

    @Test
    void ignoresARecordLeftByADeadProcessOrUnreadable() throws IOException {
        // given: a process that has certainly exited
        Process gone = new ProcessBuilder("true").start();
        long deadPid = gone.pid();
        waitFor(gone);
        LocalServer.write(dataDir, "http://127.0.0.1:8080", deadPid);

        assertThat(LocalServer.find(dataDir)).isEmpty();

        Files.writeString(dataDir.resolve("server.json"), "{not json");
        assertThat(LocalServer.find(dataDir)).isEmpty();
        assertThat(LocalServer.find(dataDir.resolve("missing"))).isEmpty();
    }

    @Test
    void leavesTheRecordOfAnotherLiveServerAlone() throws IOException {
        // given: the parent of this JVM (maven's surefire launcher) is alive and is not us
        long other = ProcessHandle.current().parent().map(ProcessHandle::pid).orElseThrow();
        LocalServer.write(dataDir, "http://127.0.0.1:8080", other);

        // when
        LocalServer.clear(dataDir);

        // then
        assertThat(LocalServer.find(dataDir)).map(LocalServer::pid).hasValue(other);
    }

    private static void waitFor(Process process) {
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
