package dev.tributary.engine.cli;

import dev.tributary.engine.api.ApiConfig;
import dev.tributary.engine.api.ApiServer;
import dev.tributary.engine.node.FunctionSettings;
import dev.tributary.engine.node.Node;
import dev.tributary.engine.node.NodeConfig;
import io.vertx.core.Vertx;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code trib server}: starts a node and its HTTP API, prints where to reach it and where the
 * admin key is, and runs until SIGTERM or SIGINT (then stops the API, closes the node and
 * forgets the local server address).
 */
@Command(name = "server", mixinStandardHelpOptions = true,
        description = "Start a Tributary node (embedded H2 store by default; loopback only unless --host says otherwise).")
public final class ServerCommand implements Callable<Integer> {

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Interface to listen on (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", defaultValue = "8080", description = "Port to listen on; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--data-dir", defaultValue = "${sys:user.home}/.tributary",
            description = "Where the embedded database and the admin key live (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--api-key", description = "Admin API key to require instead of the one kept in the data directory.")
    String apiKey;

    @Option(names = "--db", paramLabel = "JDBC_URL", description = "Use this database (e.g. jdbc:postgresql://host/db) instead of H2.")
    String db;

    @Option(names = "--samples", description = "Deploy the sample scenarios at start (idempotent: unchanged ones keep their version).")
    boolean samples;

    @Option(names = "--samples-dir", paramLabel = "DIR", defaultValue = "${env:TRIBUTARY_SAMPLES:-samples/definitions}",
            description = "Where the samples are (default: ${DEFAULT-VALUE}; ./trib points it at the repository's samples).")
    Path samplesDir;

    @Option(names = "--allow-private-http",
            description = "Let http functions reach loopback, private and link-local addresses (refused by default: SSRF).")
    boolean allowPrivateHttp;

    @Option(names = "--price-per-gb-second", paramLabel = "USD", defaultValue = "0.0000166667",
            description = "Price of one GB-second, for activations' cost (default: ${DEFAULT-VALUE}).")
    double pricePerGbSecond;

    @Option(names = "--python", paramLabel = "BINARY", defaultValue = "${env:TRIBUTARY_PYTHON:-python3}",
            description = "Python interpreter for python functions (default: ${DEFAULT-VALUE}).")
    String python;

    @Option(names = "--node", paramLabel = "BINARY", defaultValue = "${env:TRIBUTARY_NODE:-node}",
            description = "Node.js binary for node functions (default: ${DEFAULT-VALUE}).")
    String nodeBinary;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        if (port < 0 || port > 65535) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--port must be within 0..65535, got " + port);
        }
        Path dir = dataDir.toAbsolutePath().normalize();
        var running = LocalServer.find(dir);
        if (running.isPresent()) {
            spec.commandLine().getErr().println("trib: a server already runs on " + dir + " at " + running.get().url()
                    + " (pid " + running.get().pid() + "); stop it or give another --data-dir");
            return 1;
        }
        FunctionSettings functions;
        try {
            functions = new FunctionSettings(allowPrivateHttp, pricePerGbSecond, python, nodeBinary);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--price-per-gb-second: " + e.getMessage());
        }
        NodeConfig config = NodeConfig.defaults(dir).withJdbcUrl(db).withFunctions(functions);
        // the samples are deployed before the API answers, so whoever sees the server up finds them
        StringWriter sampleReport = new StringWriter();
        RunningServer server = RunningServer.start(config, host, port, apiKey,
                node -> Samples.deploy(node, samplesDir, new PrintWriter(sampleReport, true)), samples);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "tributary-shutdown"));

        out.println("Tributary node " + server.node().health().node() + " listening on " + server.url());
        out.println("  data:      " + dir + (db == null ? " (H2)" : " (database " + redacted(db) + ")"));
        out.println("  admin key: " + (apiKey != null ? "given with --api-key" : AdminKey.file(dir).toString()));
        if (samples) {
            out.print(sampleReport);
            Samples.tryFirst(server.url(), out);
        }
        out.println("Stop with Ctrl-C.");
        out.flush();
        stopped.await();
        return 0;
    }

    /** A JDBC URL without its query (where a password may be). */
    private static String redacted(String url) {
        int query = url.indexOf('?');
        return query < 0 ? url : url.substring(0, query) + "?...";
    }

    /** A started node with its HTTP API; closing stops both and removes the local server address. */
    static final class RunningServer implements AutoCloseable {
        private final Path dataDir;
        private final Vertx vertx;
        private final Node node;
        private final ApiServer api;
        private final String url;

        private RunningServer(Path dataDir, Vertx vertx, Node node, ApiServer api, String url) {
            this.dataDir = dataDir;
            this.vertx = vertx;
            this.node = node;
            this.api = api;
            this.url = url;
        }

        static RunningServer start(NodeConfig config, String host, int port, String apiKey) {
            return start(config, host, port, apiKey, node -> { }, false);
        }

        /** @param prepare done with the node before the API listens, when {@code prepared} */
        static RunningServer start(NodeConfig config, String host, int port, String apiKey, Consumer<Node> prepare, boolean prepared) {
            Path dataDir = config.dataDir();
            String key = apiKey != null ? apiKey : AdminKey.loadOrCreate(dataDir);
            Node node = Node.start(config);
            Vertx vertx = Vertx.vertx();
            try {
                if (prepared) {
                    prepare.accept(node);
                }
                ApiServer api = new ApiServer(vertx, node, ApiConfig.of(host, port, key), node.metrics().registry());
                int bound = api.start().await();
                String url = "http://" + (isAnyAddress(host) ? "127.0.0.1" : host) + ":" + bound;
                LocalServer.write(dataDir, url, ProcessHandle.current().pid());
                return new RunningServer(dataDir, vertx, node, api, url);
            } catch (RuntimeException e) {
                vertx.close();
                node.close();
                throw e;
            }
        }

        private static boolean isAnyAddress(String host) {
            return host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]");
        }

        Node node() {
            return node;
        }

        String url() {
            return url;
        }

        @Override
        public void close() {
            try {
                api.stop().await();
            } catch (RuntimeException e) {
                // Stopping anyway: the node must still close its store cleanly.
            } finally {
                node.close();
                vertx.close().await();
                LocalServer.clear(dataDir);
            }
        }
    }
}
