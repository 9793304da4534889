package dev.tributary.engine.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The options every client command shares: where the server is, its key, and the output format. */
final class ClientOptions {

    /** Lets tests stand in for the process environment. */
    static volatile Map<String, String> environment = System.getenv();

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--server", paramLabel = "URL",
            description = "server URL (default: $TRIBUTARY_URL, else the local server of --data-dir)")
    String server;

    @Option(names = "--api-key", paramLabel = "KEY",
            description = "API key (default: $TRIBUTARY_API_KEY, else <data-dir>/admin.key)")
    String apiKey;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "data directory of a local server (default: ~/.tributary)")
    Path dataDir = Path.of(System.getProperty("user.home"), ".tributary");

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", description = "table (default) or json")
    OutputFormat output = OutputFormat.table;

    ApiClient client() {
        return new ApiClient(ServerConnection.resolve(server, apiKey, dataDir, environment), Duration.ofSeconds(60));
    }

    boolean json() {
        return output == OutputFormat.json;
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }
}
