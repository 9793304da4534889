package dev.tributary.engine.node;

import dev.tributary.dsl.expr.SecretResolver;
import dev.tributary.dsl.model.FunctionDef.Runtime;
import dev.tributary.engine.store.CodeStore;
import dev.tributary.functions.ConcurrencyLimit;
import dev.tributary.functions.ExprRuntime;
import dev.tributary.functions.FunctionInvoker;
import dev.tributary.functions.FunctionRuntime;
import dev.tributary.functions.Functions;
import dev.tributary.functions.code.StoredCode;
import dev.tributary.functions.http.AddressPolicy;
import dev.tributary.functions.http.HeaderResolver;
import dev.tributary.functions.http.HttpRuntime;
import dev.tributary.functions.jvm.JavaRuntime;
import dev.tributary.functions.process.ProcessRuntime;
import dev.tributary.functions.worker.NodeRuntime;
import dev.tributary.functions.worker.PythonRuntime;
import dev.tributary.functions.worker.WorkerSettings;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runtimes of a node, built from its {@link NodeConfig}: every runtime of SPEC §2.3 over the
 * code the store holds (unpacked once under {@code <data-dir>/code}), with worker sockets and
 * scratch directories under {@code <data-dir>/run}. Closing it stops every worker process.
 */
final class NodeFunctions implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(NodeFunctions.class);

    private final Functions invoker;
    private final List<AutoCloseable> runtimes;

    private NodeFunctions(Functions invoker, List<AutoCloseable> runtimes) {
        this.invoker = invoker;
        this.runtimes = runtimes;
    }

    /**
     * @param connectors the built-in connector functions, by name
     * @param secrets    what {@code secret(name)} in a function's {@code env} and an http function's headers reads
     */
    static NodeFunctions start(NodeConfig config, CodeStore codeStore, Map<String, FunctionRuntime> connectors,
                               SecretResolver secrets) {
        FunctionSettings settings = config.functions();
        Clock clock = config.clock();
        Path data = config.dataDir().toAbsolutePath();
        StoredCode code = new StoredCode(data.resolve("code"), codeStore::get);
        Path run = data.resolve("run");
        List<AutoCloseable> started = new ArrayList<>();
        try {
            PythonRuntime python = started(started, new PythonRuntime(
                    WorkerSettings.python(run.resolve("python")).withBinary(settings.python()), code, clock));
            NodeRuntime node = started(started, new NodeRuntime(
                    WorkerSettings.node(run.resolve("node")).withBinary(settings.node()), code, clock));
            JavaRuntime java = started(started, new JavaRuntime(code, clock));
            ProcessRuntime process = new ProcessRuntime(code, run.resolve("process"), clock);
            HttpRuntime http = new HttpRuntime(clock, AddressPolicy.of(settings.allowPrivateHttp()),
                    HeaderResolver.evaluating(secrets, clock), Functions.DEFAULT_MAX_PAYLOAD_BYTES);
            Functions.Builder builder = Functions.builder().clock(clock).metering(settings.metering());
            builder.secrets(secrets);
            connectors.forEach(builder::connector);
            Functions invoker = builder
                    .runtime(Runtime.EXPR, new ExprRuntime(clock, Functions.DEFAULT_MAX_PAYLOAD_BYTES))
                    .runtime(Runtime.PYTHON, python)
                    .runtime(Runtime.NODE, node)
                    .runtime(Runtime.JAVA, java)
                    .runtime(Runtime.PROCESS, new ConcurrencyLimit(process))
                    .runtime(Runtime.HTTP, new ConcurrencyLimit(http))
                    .build();
            return new NodeFunctions(invoker, started);
        } catch (RuntimeException e) {
            new NodeFunctions(null, started).close();
            throw e;
        }
    }

    private static <T extends AutoCloseable> T started(List<AutoCloseable> started, T runtime) {
        started.add(runtime);
        return runtime;
    }

    FunctionInvoker invoker() {
        return invoker;
    }

    /** Stops every runtime's workers; one that fails to stop does not keep the others running. */
    @Override
    public void close() {
        for (int i = runtimes.size() - 1; i >= 0; i--) {
            try {
                runtimes.get(i).close();
            } catch (Exception e) {
                LOG.warn("Could not stop a function runtime cleanly: {}", e.toString());
            }
        }
    }
}
