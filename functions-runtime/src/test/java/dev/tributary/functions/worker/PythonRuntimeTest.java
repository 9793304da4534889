package dev.tributary.functions.worker;

import static dev.tributary.functions.worker.WorkerFixtures.descendants;
import static dev.tributary.functions.worker.WorkerFixtures.job;
import static dev.tributary.functions.worker.WorkerFixtures.json;
import static dev.tributary.functions.worker.WorkerFixtures.processGroup;
import static dev.tributary.functions.worker.WorkerFixtures.python;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tributary.dsl.model.FunctionDef;
import dev.tributary.functions.ActivationLogs;
import dev.tributary.functions.Execution;
import dev.tributary.functions.InvocationResult;
import dev.tributary.functions.code.InlineCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PythonRuntimeTest {

    @TempDir
    Path temp;
    private PythonRuntime runtime;

    @BeforeEach
    void start() {
        runtime = new PythonRuntime(WorkerSettings.python(temp.resolve("rt")), new InlineCode(temp.resolve("code"))::locate,
                Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        runtime.close();
    }

    private Execution run(FunctionDef function, String input) {
        return runtime.invoke(job(function, input)).join();
    }

    private static JsonNode success(Execution execution) {
        assertThat(execution.result()).as(execution.logs()).isInstanceOf(InvocationResult.Success.class);
        return ((InvocationResult.Success) execution.result()).result();
    }

    @Test
    void runsMainWithArgsColdThenWarm() {
        // given
        FunctionDef hello = python("hello", """
                def main(args):
                    return {"greeting": "hello " + args["name"]}
                """);

        // when
        Execution first = run(hello, "{\"name\": \"ada\"}");
        Execution second = run(hello, "{\"name\": \"bob\"}");

        // then
        assertThat(success(first)).isEqualTo(json("{\"greeting\": \"hello ada\"}"));
        assertThat(first.coldStart()).isTrue();
        assertThat(success(second)).isEqualTo(json("{\"greeting\": \"hello bob\"}"));
        assertThat(second.coldStart()).isFalse();
        assertThat(second.duration()).isPositive().isLessThan(first.duration());
    }

    @Test
    void givesLambdaStyleHandlersTheirContext() {
        // given
        FunctionDef lambda = python("ctx", """
                def handler(event, context):
                    return {"event": event, "name": context.function_name, "id": context.activation_id,
                            "key": context.idempotency_key, "attempt": context.attempt,
                            "remaining": context.get_remaining_time_in_millis()}
                """, "handler: handler", "timeout: 30s");

        // when
        JsonNode result = success(run(lambda, "[1, 2]"));

        // then
        assertThat(result.path("event")).isEqualTo(json("[1, 2]"));
        assertThat(result.path("name").asText()).isEqualTo("ctx");
        assertThat(result.path("id").asText()).startsWith("act-");
        assertThat(result.path("key").asText()).isEqualTo("run-1/step/1");
        assertThat(result.path("attempt").asInt()).isEqualTo(1);
        assertThat(result.path("remaining").asLong()).isBetween(20_000L, 30_000L);
    }

    @Test
    void anExceptionsClassNameIsTheErrorType() {
        // given
        FunctionDef charge = python("charge", """
                class CardDeclined(Exception):
                    pass
                def main(args):
                    print("charging", args["amount"])
                    raise CardDeclined("card 4242 was declined")
                """);

        // when
        Execution execution = run(charge, "{\"amount\": 12}");

        // then
        assertThat(execution.result()).isEqualTo(new InvocationResult.Failure("CardDeclined", "card 4242 was declined"));
        assertThat(execution.logs()).isEqualTo("charging 12\n");
    }

    @Test
    void capturesLogsAndCutsThemAt64KiB() {
        // given
        FunctionDef chatty = python("chatty", """
                import sys
                def main(args):
                    print("x" * 1000, end="")
                    sys.stderr.write("e" * 100_000)
                    return "done"
                """);

        // when
        Execution execution = run(chatty, "{}");

        // then
        assertThat(success(execution).asText()).isEqualTo("done");
        assertThat(execution.logs()).startsWith("x".repeat(1000) + "eee")
                .endsWith(ActivationLogs.TRUNCATED_MARKER)
                .hasSize(ActivationLogs.MAX_BYTES + ActivationLogs.TRUNCATED_MARKER.length());
    }

    @Test
    void aResultOverOneMebibyteIsLimitExceeded() {
        // given
        FunctionDef big = python("big", """
                def main(args):
                    return "y" * (1024 * 1024)
                """);

        // when
        Execution execution = run(big, "{}");

        // then
        assertThat(execution.result()).isEqualTo(new InvocationResult.Failure("LimitExceeded",
                "the result of function 'big' is over the limit 'function result' of 1048576 bytes"));
    }

    @Test
    void largeInputsAndResultsCrossTheSocketWhole() {
        // given
        FunctionDef echo = python("echo", """
                def main(args):
                    return {"text": args["text"], "length": len(args["text"])}
                """);
        String text = "é".repeat(450_000); // 900 kB of UTF-8, many socket reads each way

        // when
        JsonNode result = success(run(echo, "{\"text\": \"" + text + "\"}"));

        // then
        assertThat(result.path("length").asInt()).isEqualTo(450_000);
        assertThat(result.path("text").asText()).isEqualTo(text);
    }

    @Test
    void aTimeoutKillsTheWorkersWholeProcessGroup() throws Exception {
        // given a handler that starts a grandchild and hangs
        Path pids = temp.resolve("pids");
        FunctionDef hang = python("hang", """
                import os, subprocess, time
                def main(args):
                    child = subprocess.Popen(["sleep", "300"])
                    with open(os.environ["PIDS"], "w") as f:
                        f.write("%d %d" % (os.getpid(), child.pid))
                    time.sleep(300)
                """, "timeout: 2s");

        // when
        Execution execution = runtime.invoke(job(hang, "{}", Map.of("PIDS", pids.toString()))).join();

        // then
        assertThat(execution.result()).isEqualTo(new InvocationResult.Failure("Timeout", "function 'hang' did not finish within PT2S"));
        assertThat(execution.duration()).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
        String[] written = Files.readString(pids).split(" ");
        long worker = Long.parseLong(written[0]);
        long sleeper = Long.parseLong(written[1]);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(processGroup(worker)).isEmpty();
            assertThat(ProcessHandle.of(sleeper).filter(p -> !WorkerFixtures.isZombie(p.pid()))).isEmpty();
        });
    }

    @Test
    void runsAtMostConcurrencyWorkersAndQueuesTheRest() {
        // given a handler that reports its worker and when it ran (monotonic clock, shared by all processes)
        FunctionDef slow = python("slow", """
                import os, time
                def main(args):
                    began = time.monotonic()
                    time.sleep(0.3)
                    return {"pid": os.getpid(), "began": began, "ended": time.monotonic()}
                """, "concurrency: 2");

        // when
        List<CompletableFuture<Execution>> all = IntStream.range(0, 6).mapToObj(i -> runtime.invoke(job(slow, "{}"))).toList();

        // then
        List<JsonNode> runs = all.stream().map(CompletableFuture::join).map(PythonRuntimeTest::success).toList();
        assertThat(runs.stream().map(r -> r.path("pid").asLong()).distinct()).hasSize(2);
        int mostAtOnce = runs.stream().mapToInt(r -> (int) runs.stream().filter(other ->
                other.path("began").asDouble() <= r.path("began").asDouble()
                        && r.path("began").asDouble() < other.path("ended").asDouble()).count()).max().orElse(0);
        assertThat(mostAtOnce).isEqualTo(2);
        assertThat(all.stream().map(CompletableFuture::join).filter(Execution::coldStart)).hasSize(2);
    }

    @Test
    void aRedeployGetsNewWorkersWhileTheOldCodeFinishesItsActivation() {
        // given an activation of the first deploy in flight
        FunctionDef v1 = python("deployed", """
                import time
                def main(args):
                    time.sleep(0.5)
                    return "v1"
                """);
        CompletableFuture<Execution> inFlight = runtime.invoke(job(v1, "{}"));
        await().atMost(Duration.ofSeconds(5)).until(() -> runtime.workers().size() == 1);

        // when the changed code is invoked
        FunctionDef v2 = python("deployed", """
                def main(args):
                    return "v2"
                """);
        Execution fresh = run(v2, "{}");

        // then
        assertThat(success(fresh).asText()).isEqualTo("v2");
        assertThat(fresh.coldStart()).isTrue();
        assertThat(success(inFlight.join()).asText()).isEqualTo("v1");
    }

    @Test
    void idleWorkersAndZygotesStopAfterKeepWarm() throws Exception {
        // given
        FunctionDef brief = python("brief", """
                def main(args):
                    return 1
                """, "keep-warm: 1s");

        // when
        success(run(brief, "{}"));
        await().atMost(Duration.ofSeconds(5)).until(() -> runtime.starter().functionZygotes() == 1);
        assertThat(descendants()).hasSizeGreaterThanOrEqualTo(3); // runtime zygote, function zygote, worker

        // then
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(descendants()).isEmpty());
        assertThat(runtime.workers()).isEmpty();
        assertThat(Files.list(temp.resolve("rt/scratch"))).isEmpty();
    }

    @Test
    void aFurtherColdWorkerForksFromTheFunctionZygote() {
        // given a first worker, and the function zygote made after it
        FunctionDef twice = python("twice", """
                import time
                def main(args):
                    time.sleep(args["sleep"])
                    return 1
                """, "concurrency: 2");
        assertThat(run(twice, "{\"sleep\": 0}").coldStart()).isTrue();
        await().atMost(Duration.ofSeconds(5)).until(() -> runtime.starter().functionZygotes() == 1);

        // when two run at once
        CompletableFuture<Execution> a = runtime.invoke(job(twice, "{\"sleep\": 0.5}"));
        CompletableFuture<Execution> b = runtime.invoke(job(twice, "{\"sleep\": 0.5}"));

        // then one took the warm worker, the other a worker forked from the function zygote
        assertThat(List.of(a.join().coldStart(), b.join().coldStart())).containsExactlyInAnyOrder(true, false);
        assertThat(runtime.workers()).extracting(WorkerInfo::origin)
                .containsExactlyInAnyOrder(WorkerOrigin.RUNTIME_ZYGOTE, WorkerOrigin.FUNCTION_ZYGOTE);
    }

    @Test
    void aFunctionZygoteHandsOutAChildForkedAheadAndForksTheNextOne() {
        // given a function zygote, and the spare child it forked ahead of any request
        FunctionDef ahead = python("ahead", """
                import os, time
                def main(args):
                    time.sleep(args["sleep"])
                    return os.getpid()
                """, "concurrency: 2");
        success(run(ahead, "{\"sleep\": 0}"));
        await().atMost(Duration.ofSeconds(5)).until(() -> spares().size() == 1);
        long spare = spares().get(0).pid();

        // when two run at once
        CompletableFuture<Execution> a = runtime.invoke(job(ahead, "{\"sleep\": 0.5}"));
        CompletableFuture<Execution> b = runtime.invoke(job(ahead, "{\"sleep\": 0.5}"));

        // then the cold one ran in the spare, and a new spare waits behind it
        assertThat(List.of(success(a.join()).asLong(), success(b.join()).asLong())).contains(spare);
        await().atMost(Duration.ofSeconds(5)).until(() -> spares().size() == 1 && spares().get(0).pid() != spare);
    }

    /** Children of a function zygote (three levels below the JVM) that are not workers. */
    private List<ProcessHandle> spares() {
        long jvm = ProcessHandle.current().pid();
        Set<Long> workers = runtime.workers().stream().map(WorkerInfo::pid).collect(Collectors.toSet());
        return descendants().stream()
                .filter(p -> p.parent().flatMap(ProcessHandle::parent).flatMap(ProcessHandle::parent)
                        .map(ProcessHandle::pid).orElse(0L) == jvm)
                .filter(p -> !workers.contains(p.pid()))
                .toList();
    }

    @Test
    void aWorkerThatDiesFailsItsActivationAndTheNextOneWorks() {
        // given
        FunctionDef fragile = python("fragile", """
                import os, signal
                def main(args):
                    if args.get("exit"):
                        os.write(2, b"boom\\n")
                        os._exit(3)
                    if args.get("kill"):
                        os.kill(os.getpid(), signal.SIGKILL)
                    return "fine"
                """);

        // when
        Execution exited = run(fragile, "{\"exit\": true}");
        Execution killed = run(fragile, "{\"kill\": true}");
        Execution next = run(fragile, "{}");

        // then
        assertThat(exited.result()).isEqualTo(new InvocationResult.Failure("FunctionError",
                "the python worker of function 'fragile' exited during the activation (exit code 3); its output ends with: boom"));
        assertThat(killed.result()).isEqualTo(new InvocationResult.Failure("FunctionError",
                "the python worker of function 'fragile' exited during the activation (killed by signal 9 (SIGKILL))"));
        assertThat(success(next).asText()).isEqualTo("fine");
        assertThat(next.coldStart()).isTrue();
    }

    @Test
    void theEnvironmentHoldsOnlyPathHomeLangAndTheDeclaredEnv() {
        // given
        FunctionDef env = python("env", """
                import os
                def main(args):
                    return {"keys": sorted(os.environ), "home": os.environ["HOME"], "cwd": os.getcwd(),
                            "table": os.environ["TABLE"]}
                """, "env: {TABLE: orders}");

        // when
        JsonNode result = success(runtime.invoke(job(env, "{}", Map.of("TABLE", "orders"))).join());

        // then
        assertThat(result.path("keys")).isEqualTo(json("[\"HOME\", \"LANG\", \"PATH\", \"TABLE\"]"));
        assertThat(result.path("table").asText()).isEqualTo("orders");
        assertThat(result.path("cwd").asText()).isEqualTo(result.path("home").asText());
        assertThat(Path.of(result.path("cwd").asText())).startsWith(temp.resolve("rt"));
    }

    @Test
    void aMemoryHogGetsMemoryErrorAndTheWorkerLivesOn() {
        // given
        FunctionDef hog = python("hog", """
                import os
                def main(args):
                    if args.get("hog"):
                        data = bytearray(1024 * 1024 * 1024)
                    return os.getpid()
                """, "memory: 128");

        // when
        Execution hogged = run(hog, "{\"hog\": true}");
        Execution after = run(hog, "{}");

        // then
        assertThat(hogged.result()).isEqualTo(new InvocationResult.Failure("MemoryError",
                "out of memory: the worker's address space is limited to " + (128 + PythonStarter.ADDRESS_SPACE_ALLOWANCE_MB) + " MB"));
        assertThat(after.coldStart()).isFalse();
        assertThat(success(after).asLong()).isEqualTo(runtime.workers().get(0).pid());
    }

    @Test
    void theDeclaredMemoryStaysUsableAfterThreadsRan() {
        // given a handler whose threads allocate (each could reserve a malloc arena) before it takes most of its memory
        FunctionDef threads = python("threads", """
                from concurrent.futures import ThreadPoolExecutor
                def chunks(i):
                    return sum(len(b) for b in [bytes(2000) for _ in range(2000)])
                def main(args):
                    with ThreadPoolExecutor(8) as pool:
                        total = sum(pool.map(chunks, range(64)))
                    return total + len(bytearray(120 * 1024 * 1024))
                """, "memory: 128");

        // when
        Execution execution = run(threads, "{}");

        // then
        assertThat(success(execution).asLong()).isEqualTo(64L * 2000 * 2000 + 120L * 1024 * 1024);
    }

    @Test
    void aKilledRuntimeZygoteTakesItsWorkersAlongAndIsReplaced() {
        // given a runtime zygote that was killed
        success(run(python("one", "def main(args):\n    return 1\n"), "{}"));
        long forked = runtime.workers().get(0).pid();
        ProcessHandle zygote = descendants().stream()
                .filter(p -> p.info().arguments().map(a -> List.of(a).contains("--zygote")).orElse(false))
                .findFirst().orElseThrow();
        zygote.destroyForcibly();
        await().atMost(Duration.ofSeconds(5)).until(() -> !zygote.isAlive() || WorkerFixtures.isZombie(zygote.pid()));
        await().atMost(Duration.ofSeconds(5)).until(() -> WorkerFixtures.isZombie(forked)); // gone (or dead, unreaped)

        // when another function starts cold
        Execution execution = run(python("two", "def main(args):\n    return 2\n"), "{}");

        // then
        assertThat(success(execution).asInt()).isEqualTo(2);
        assertThat(runtime.workers()).extracting(WorkerInfo::origin).contains(WorkerOrigin.RUNTIME_ZYGOTE);
    }

    @Test
    void eachWorkerHasItsOwnScratchDirectory() {
        // given
        FunctionDef scratch = python("scratch", """
                import os, time
                def main(args):
                    open("mine.txt", "w").write("x")
                    time.sleep(0.3)
                    return os.listdir(".") + [os.getcwd()]
                """, "concurrency: 2");

        // when
        CompletableFuture<Execution> a = runtime.invoke(job(scratch, "{}"));
        CompletableFuture<Execution> b = runtime.invoke(job(scratch, "{}"));

        // then
        JsonNode first = success(a.join());
        JsonNode second = success(b.join());
        assertThat(first.get(0).asText()).isEqualTo("mine.txt");
        assertThat(first.size()).isEqualTo(2);
        assertThat(first.get(1)).isNotEqualTo(second.get(1));
        assertThat(runtime.workers()).extracting(WorkerInfo::scratch).map(Path::toString)
                .containsExactlyInAnyOrder(first.get(1).asText(), second.get(1).asText());
    }

    @Test
    void aModuleThatDoesNotLoadFailsWithItsErrorType() {
        // given
        FunctionDef broken = python("broken", """
                def main(args)
                    return 1
                """);

        // when
        Execution execution = run(broken, "{}");

        // then
        assertThat(execution.result()).isInstanceOfSatisfying(InvocationResult.Failure.class,
                failure -> assertThat(failure.type()).isEqualTo("SyntaxError"));
        assertThat(execution.coldStart()).isTrue();
    }

    @Test
    void withoutZygotesEveryColdStartIsAFreshInterpreter() {
        // given
        runtime.close();
        runtime = new PythonRuntime(WorkerSettings.python(temp.resolve("fresh")).withPreStart(false),
                new InlineCode(temp.resolve("code"))::locate, Clock.systemUTC());
        FunctionDef hello = python("hello", """
                import os
                def main(args):
                    return {"args": args, "env": sorted(os.environ)}
                """);

        // when
        Execution execution = run(hello, "{\"a\": 1}");

        // then
        assertThat(success(execution)).isEqualTo(json("{\"args\": {\"a\": 1}, \"env\": [\"HOME\", \"LANG\", \"PATH\"]}"));
        assertThat(runtime.workers()).extracting(WorkerInfo::origin).containsExactly(WorkerOrigin.FRESH);
    }
}
