package dev.tributary.functions.worker;

import dev.tributary.dsl.model.FunctionDef;
import dev.tributary.functions.Execution;
import dev.tributary.functions.InvocationResult;
import dev.tributary.functions.Job;
import dev.tributary.functions.code.InlineCode;
import dev.tributary.functions.code.LocatedCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Measures the warm workers (not a test): warm python no-op overhead and throughput, python cold
 * starts (fresh interpreter, fork from the runtime zygote, fork from the function zygote), node
 * cold starts (fresh, spare). Argument {@code warm} or {@code starts} runs only that half. Run from the
 * test classpath after {@code mvn -o -q -pl functions-runtime -am test-compile}, e.g. with
 * {@code exec:java -Dexec.mainClass=dev.tributary.functions.worker.WorkerBench -Dexec.classpathScope=test}
 * (needs the exec plugin in the local repository) or {@code java -cp <test classpath>}.
 */
public final class WorkerBench {

    private static final int WARM_ROUNDS = 20_000;
    private static final int START_ROUNDS = 40;

    private WorkerBench() {
    }

    public static void main(String[] args) throws Exception {
        Path temp = Files.createTempDirectory("wb");
        InlineCode code = new InlineCode(temp.resolve("code"));
        List<String> rows = new ArrayList<>();
        rows.add(String.format("%-52s %10s %10s %12s", "what", "p50", "p99", "rate"));
        String only = args.length > 0 ? args[0] : "all"; // warm | starts | all

        FunctionDef noop = WorkerFixtures.python("noop", "def main(args):\n    return None\n", "concurrency: 2");
        FunctionDef nodeNoop = WorkerFixtures.node("noop", "exports.main = () => null;\n", "concurrency: 2");
        if (!only.equals("starts")) {
            warm(temp, code, rows, noop, nodeNoop);
        }
        if (!only.equals("warm")) {
            starts(temp, code, rows, noop, nodeNoop);
        }
        System.out.println();
        rows.forEach(System.out::println);
        System.out.println("(" + Runtime.getRuntime().availableProcessors() + " cores; starts: from asking for a worker to its hello)");
        try (var paths = Files.walk(temp)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    private static void warm(Path temp, InlineCode code, List<String> rows, FunctionDef noop, FunctionDef nodeNoop) throws Exception {
        rows.add(transportFloor(temp.resolve("floor")));
        try (PythonRuntime python = new PythonRuntime(WorkerSettings.python(temp.resolve("py")), code::locate, Clock.systemUTC())) {
            rows.add(warmLatency("python warm no-op activation (runtime.invoke → answer)", python::invoke, noop));
            rows.add(throughput("python warm no-op, concurrency 2, 4 callers", python::invoke, noop));
        }
        try (NodeRuntime node = new NodeRuntime(WorkerSettings.node(temp.resolve("nd")), code::locate, Clock.systemUTC(),
                NodeRuntimeTest.BOOTSTRAP)) {
            rows.add(warmLatency("node warm no-op activation (" + NodeRuntimeTest.BOOTSTRAP + ")", node::invoke, nodeNoop));
            rows.add(throughput("node warm no-op, concurrency 2, 4 callers", node::invoke, nodeNoop));
        }
    }

    private static void starts(Path temp, InlineCode code, List<String> rows, FunctionDef noop, FunctionDef nodeNoop) throws Exception {

        WorkerRequest pythonRequest = request(noop, code.locate(noop));
        rows.add(pythonStarts(temp.resolve("s1"), pythonRequest, false, "python cold start: fresh interpreter (-I -S)"));
        rows.add(pythonStarts(temp.resolve("s2"), pythonRequest, true, "python cold start: fork from function zygote"));
        rows.add(runtimeZygoteStarts(temp.resolve("s3"), pythonRequest));
        WorkerRequest nodeRequest = request(nodeNoop, code.locate(nodeNoop));
        rows.add(nodeStarts(temp.resolve("s4"), nodeRequest, false, "node cold start: fresh process"));
        rows.add(nodeStarts(temp.resolve("s5"), nodeRequest, true, "node cold start: load into a spare"));
    }

    private interface Invoker {
        CompletableFuture<Execution> invoke(Job job);
    }

    private static String warmLatency(String what, Invoker runtime, FunctionDef function) {
        for (int i = 0; i < WARM_ROUNDS; i++) { // warm the JIT and the worker
            check(runtime.invoke(WorkerFixtures.job(function, "{}")).join());
        }
        long[] nanos = new long[WARM_ROUNDS];
        for (int i = 0; i < WARM_ROUNDS; i++) {
            Job job = WorkerFixtures.job(function, "{}");
            long start = System.nanoTime();
            check(runtime.invoke(job).join());
            nanos[i] = System.nanoTime() - start;
        }
        return row(what, nanos, "");
    }

    /** The least a warm activation can cost here: one line to a python process and back, read on the calling thread. */
    private static String transportFloor(Path dir) throws Exception {
        Files.createDirectories(dir);
        Path path = dir.resolve("echo.sock");
        try (java.nio.channels.ServerSocketChannel server = java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
            server.bind(java.net.UnixDomainSocketAddress.of(path));
            String python = new ExecutableResolver("python", "python3", List.of("-c", "import sys; print(sys.executable)")).path().toString();
            Process echo = new ProcessBuilder(python, "-I", "-S", "-c", "import _socket\n"
                    + "s = _socket.socket(_socket.AF_UNIX, _socket.SOCK_STREAM); s.connect('" + path + "')\n"
                    + "while True:\n    d = s.recv(65536)\n    if not d: break\n    s.sendall(d)\n").inheritIO().start();
            try (java.nio.channels.SocketChannel channel = server.accept()) {
                java.nio.ByteBuffer in = java.nio.ByteBuffer.allocate(65536);
                byte[] line = "{\"invoke\":\"a\",\"input\":{}}\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
                long[] nanos = new long[WARM_ROUNDS];
                for (int i = -WARM_ROUNDS; i < WARM_ROUNDS; i++) {
                    long start = System.nanoTime();
                    channel.write(java.nio.ByteBuffer.wrap(line));
                    int got = 0;
                    while (got < line.length) {
                        in.clear();
                        got += channel.read(in);
                    }
                    if (i >= 0) {
                        nanos[i] = System.nanoTime() - start;
                    }
                }
                return row("floor: one line to python and back (no pool)", nanos, "");
            } finally {
                echo.destroyForcibly();
            }
        }
    }

    private static String throughput(String what, Invoker runtime, FunctionDef function) throws InterruptedException {
        AtomicLong done = new AtomicLong();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        List<Thread> callers = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Thread caller = new Thread(() -> {
                while (System.nanoTime() < until) {
                    check(runtime.invoke(WorkerFixtures.job(function, "{}")).join());
                    done.incrementAndGet();
                }
            });
            callers.add(caller);
            caller.start();
        }
        for (Thread caller : callers) {
            caller.join();
        }
        return String.format("%-52s %10s %10s %10.0f/s", what, "", "", done.get() / 3.0);
    }

    private static String pythonStarts(Path dir, WorkerRequest request, boolean zygotes, String what) throws Exception {
        try (Rig rig = new Rig(dir, "python")) {
            PythonStarter starter = new PythonStarter(rig.resolver("python3", "-c", "import sys; print(sys.executable)"),
                    rig.directory, rig.socket, rig.scheduler, zygotes);
            try {
                if (zygotes) { // a first worker via the runtime zygote, then the function zygote behind it
                    Worker first = starter.start(request).worker().get(10, TimeUnit.SECONDS);
                    starter.workerReady(request, first);
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                    while (starter.functionZygotes() == 0 && System.nanoTime() < deadline) {
                        Thread.sleep(5);
                    }
                    first.retire();
                }
                return row(what, starts(() -> starter.start(request).worker().get(10, TimeUnit.SECONDS), zygotes
                        ? WorkerOrigin.FUNCTION_ZYGOTE : WorkerOrigin.FRESH), "");
            } finally {
                starter.close();
            }
        }
    }

    /** Forks from the runtime zygote with the function zygote refused: fork plus the module's import. */
    private static String runtimeZygoteStarts(Path dir, WorkerRequest request) throws Exception {
        try (Rig rig = new Rig(dir, "python")) {
            PythonStarter starter = new PythonStarter(rig.resolver("python3", "-c", "import sys; print(sys.executable)"),
                    rig.directory, rig.socket, rig.scheduler, true);
            try {
                return row("python cold start: fork from runtime zygote + import",
                        starts(() -> starter.start(request).worker().get(10, TimeUnit.SECONDS), WorkerOrigin.RUNTIME_ZYGOTE), "");
            } finally {
                starter.close();
            }
        }
    }

    private static String nodeStarts(Path dir, WorkerRequest request, boolean spares, String what) throws Exception {
        try (Rig rig = new Rig(dir, "node")) {
            NodeStarter starter = new NodeStarter(rig.resolver("node", "-p", "process.execPath"), rig.directory,
                    rig.directory.extract(NodeRuntimeTest.BOOTSTRAP, "bootstrap.js"), rig.socket, rig.scheduler, spares);
            try {
                return row(what, starts(() -> {
                    if (spares) {
                        starter.workerReady(request, null);
                        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                        while (starter.readySpares() == 0 && System.nanoTime() < deadline) {
                            Thread.sleep(5);
                        }
                    }
                    return starter.start(request).worker().get(10, TimeUnit.SECONDS);
                }, spares ? WorkerOrigin.SPARE : WorkerOrigin.FRESH), "");
            } finally {
                starter.close();
            }
        }
    }

    private interface Start {
        Worker start() throws Exception;
    }

    /** Times START_ROUNDS starts after five unmeasured ones (binary resolved, zygote up, JIT warm). */
    private static long[] starts(Start start, WorkerOrigin expected) throws Exception {
        long[] nanos = new long[START_ROUNDS];
        for (int i = -5; i < START_ROUNDS; i++) {
            Worker worker = start.start();
            if (worker.origin() != expected) {
                throw new IllegalStateException("Expected a worker started as " + expected + ", but it was " + worker.origin());
            }
            if (i >= 0) {
                nanos[i] = worker.startTook().toNanos();
            }
            worker.retire();
        }
        return nanos;
    }

    private static WorkerRequest request(FunctionDef function, LocatedCode located) {
        return new WorkerRequest(PoolKey.of(function.name(), 1, located.directory(), Map.of()), function.name(), located,
                "main", Map.of(), function.limits().memoryMb(), Duration.ofMinutes(5));
    }

    private static void check(Execution execution) {
        if (!(execution.result() instanceof InvocationResult.Success)) {
            throw new IllegalStateException("Expected a no-op to succeed, but " + execution.result());
        }
    }

    private static String row(String what, long[] nanos, String rate) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return String.format("%-52s %10s %10s %12s", what, format(sorted[sorted.length / 2]),
                format(sorted[(int) Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)]), rate);
    }

    private static String format(long nanos) {
        return nanos < 1_000_000 ? String.format("%.1f µs", nanos / 1e3) : String.format("%.2f ms", nanos / 1e6);
    }

    /** The socket, directory and scheduler a starter needs, closed together. */
    private static final class Rig implements AutoCloseable {
        final RuntimeDirectory directory;
        final WorkerSocket socket;
        final ScheduledThreadPoolExecutor scheduler;

        Rig(Path dir, String language) {
            directory = RuntimeDirectory.create(dir);
            socket = WorkerSocket.open(directory.socket(), language + "-bench");
            scheduler = WarmWorkers.scheduler(language + "-bench");
        }

        ExecutableResolver resolver(String binary, String... ask) {
            return new ExecutableResolver(binary, binary, List.of(ask));
        }

        @Override
        public void close() throws IOException {
            socket.close();
            scheduler.shutdownNow();
        }
    }
}
