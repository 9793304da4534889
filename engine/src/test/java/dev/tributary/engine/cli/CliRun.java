package dev.tributary.engine.cli;

import dev.tributary.engine.api.NodeServer;
import dev.tributary.engine.api.TestApi;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine;

/** Runs {@code trib} in-process against a test server and captures what it printed. */
record CliRun(int exit, String out, String err) {

    /** {@code trib <args>} with {@code --server} and {@code --api-key} of {@code api} appended. */
    static CliRun against(TestApi api, String... args) {
        return withServer(api.url(), TestApi.KEY, args);
    }

    /** {@code trib <args>} with {@code --server} and {@code --api-key} of {@code server} appended. */
    static CliRun against(NodeServer server, String... args) {
        return withServer(server.url(), NodeServer.KEY, args);
    }

    private static CliRun withServer(String url, String key, String... args) {
        List<String> all = new ArrayList<>(Arrays.asList(args));
        all.addAll(List.of("--server", url, "--api-key", key));
        return exec(all.toArray(String[]::new));
    }

    static CliRun exec(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(args);
        return new CliRun(exit, out.toString(), err.toString());
    }

    List<String> outLines() {
        return out.lines().toList();
    }
}
