package dev.tributary.functions.jvm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tributary.dsl.model.FunctionCode;
import dev.tributary.dsl.model.FunctionDef;
import dev.tributary.dsl.model.FunctionLimits;
import dev.tributary.functions.Execution;
import dev.tributary.functions.Invocation;
import dev.tributary.functions.Job;
import dev.tributary.functions.api.Context;
import dev.tributary.functions.api.Handler;
import dev.tributary.functions.code.LocatedCode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Measures what the java runtime adds to an activation: a no-op handler invoked and awaited one
 * activation after another, warm, on this machine (not a test; run it by hand). Prints the cold
 * start, warm p50/p90/p99/max and activations per second, next to the bare cost of handing a task
 * to a pooled thread and waiting for it, which no runtime running off the caller's thread can beat.
 *
 * <p>{@code java -cp <functions-runtime classpath> dev.tributary.functions.jvm.JavaRuntimeBench [activations]}
 */
public final class JavaRuntimeBench {

    /** The function under test: answers its input. Copied as a class file into a code directory of its own. */
    public static final class NoOp implements Handler {
        @Override
        public JsonNode handle(JsonNode input, Context context) {
            return input;
        }
    }

    private JavaRuntimeBench() {
    }

    public static void main(String[] args) throws Exception {
        int activations = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        Path code = codeDirectoryWithNoOp();
        FunctionDef function = new FunctionDef("noop", null, FunctionDef.Runtime.JAVA, FunctionCode.path("noop.jar"),
                NoOp.class.getName(), FunctionLimits.defaults(), Map.of(), null, null);
        JsonNode input = new ObjectMapper().readTree("{\"orderId\": 42, \"amount\": 12.5}");
        Duration timeout = Duration.ofSeconds(60);
        Job job = new Job(new Invocation(function, 1, input, "act-bench", "act-bench", 1, null, null, timeout), Map.of(), timeout);

        int threads = args.length > 1 ? Integer.parseInt(args[1]) : JavaRuntime.Settings.defaults().threads();
        try (JavaRuntime runtime = new JavaRuntime(f -> new LocatedCode(code, null), Clock.systemUTC(),
                new JavaRuntime.Settings(threads, 1L << 20, Duration.ofSeconds(1)))) {
            long coldStart = System.nanoTime();
            Execution cold = runtime.invoke(job).join();
            long coldNanos = System.nanoTime() - coldStart;
            System.out.printf("first cold start in a fresh JVM (class loader, class, instance) %.2f ms, cold=%s, result %s%n",
                    coldNanos / 1e6, cold.coldStart(), cold.result());
            measure("warm no-op java activation", activations, () -> runtime.invoke(job).join());
            long[] colds = new long[20];
            for (int version = 2; version < 2 + colds.length; version++) {
                Job newVersion = new Job(new Invocation(function, version, input, "act-bench", "act-bench", 1, null, null, timeout),
                        Map.of(), timeout);
                long start = System.nanoTime();
                runtime.invoke(newVersion).join();
                colds[version - 2] = System.nanoTime() - start;
            }
            Arrays.sort(colds);
            System.out.printf("cold start of another version once the JVM is warm: p50 %.2f ms, max %.2f ms (%d)%n",
                    colds[colds.length / 2] / 1e6, colds[colds.length - 1] / 1e6, colds.length);
        }
        ExecutorService pool = Executors.newFixedThreadPool(1);
        try {
            measure("bare hand-off to a pooled thread and back", activations,
                    () -> CompletableFuture.supplyAsync(() -> input, pool).join());
        } finally {
            pool.shutdown();
        }
    }

    private static void measure(String what, int count, Runnable activation) {
        for (int i = 0; i < count / 4; i++) {
            activation.run(); // warm up the JIT
        }
        long[] nanos = new long[count];
        long all = System.nanoTime();
        for (int i = 0; i < count; i++) {
            long start = System.nanoTime();
            activation.run();
            nanos[i] = System.nanoTime() - start;
        }
        double seconds = (System.nanoTime() - all) / 1e9;
        Arrays.sort(nanos);
        System.out.printf("%s: p50 %.1f µs, p90 %.1f µs, p99 %.1f µs, max %.1f µs; %.0f activations/s one at a time (%d)%n",
                what, nanos[count / 2] / 1e3, nanos[count * 9 / 10] / 1e3, nanos[count * 99 / 100] / 1e3,
                nanos[count - 1] / 1e3, count / seconds, count);
    }

    /** A class-file root holding only {@link NoOp}, so the runtime loads it in a class loader of its own. */
    private static Path codeDirectoryWithNoOp() throws IOException {
        Path root = Files.createTempDirectory("java-bench-");
        root.toFile().deleteOnExit();
        String file = NoOp.class.getName().replace('.', '/') + ".class";
        Path target = root.resolve(file);
        Files.createDirectories(target.getParent());
        try (InputStream in = JavaRuntimeBench.class.getClassLoader().getResourceAsStream(file)) {
            if (in == null) {
                throw new IllegalStateException("Expected " + file + " on the class path, but it is not there");
            }
            Files.copy(in, target);
        }
        return root;
    }
}
