package dev.tributary.functions.process;

import static dev.tributary.functions.RuntimeFixtures.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tributary.dsl.model.FunctionDef;
import dev.tributary.functions.ActivationLogs;
import dev.tributary.functions.Execution;
import dev.tributary.functions.InvocationResult;
import dev.tributary.functions.RuntimeFixtures;
import dev.tributary.functions.code.LocatedCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessRuntimeTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2025-03-01T10:00:00Z");

    @TempDir
    Path temp;
    private Path code;
    private Path scratchRoot;
    private ProcessRuntime runtime;

    @BeforeEach
    void setUp() throws IOException {
        code = Files.createDirectories(temp.resolve("code"));
        scratchRoot = temp.resolve("scratch");
        runtime = new ProcessRuntime(f -> new LocatedCode(code, null), scratchRoot, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @Test
    void echoesItsInputThroughCat() {
        // when
        Execution execution = run(function("cat"), "{\"order\": 42, \"items\": [\"a\", \"b\"]}");

        // then
        assertThat(execution.result()).isEqualTo(new InvocationResult.Success(json("{\"order\": 42, \"items\": [\"a\", \"b\"]}")));
        assertThat(execution.coldStart()).isTrue();
        assertThat(execution.startedAt()).isEqualTo(NOW);
        assertThat(execution.duration()).isPositive();
        assertThat(execution.logs()).isEmpty();
    }

    @Test
    void runsAScriptOfTheCodeDirectoryInAScratchDirectoryOfItsOwn() throws IOException {
        // given
        Files.writeString(code.resolve("handler.py"), """
                import json, os, sys
                args = json.load(sys.stdin)
                print(json.dumps({"sum": args["a"] + args["b"], "cwd": os.getcwd(), "home": os.environ["HOME"],
                                  "path": os.environ["PATH"], "me": os.path.abspath(__file__)}))
                """);

        // when
        JsonNode result = success(run(function("python3 handler.py"), "{\"a\": 2, \"b\": 3}"));

        // then
        assertThat(result.get("sum").asInt()).isEqualTo(5);
        assertThat(result.get("me").asText()).isEqualTo(code.resolve("handler.py").toString());
        assertThat(result.get("path").asText()).startsWith(code + ":");
        Path cwd = Path.of(result.get("cwd").asText());
        assertThat(cwd.getParent()).isEqualTo(scratchRoot);
        assertThat(result.get("home").asText()).isEqualTo(cwd.toString());
        assertThat(cwd).as("the scratch directory is deleted after the activation").doesNotExist();
    }

    @Test
    void runsAnExecutableOfTheCodeDirectoryNamedWithADotSlash() throws IOException {
        // given
        Path script = Files.writeString(code.resolve("run.sh"), "#!/bin/sh\nprintf '{\"ran\": \"%s\", \"arg\": \"%s\"}' \"$0\" \"$1\"\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));

        // when
        JsonNode result = success(run(function("./run.sh 'two words'"), "{}"));

        // then
        assertThat(result.get("ran").asText()).isEqualTo(script.toString());
        assertThat(result.get("arg").asText()).isEqualTo("two words");
    }

    @Test
    void theEnvironmentHoldsOnlyPathHomeLangAndTheDeclaredEnv() {
        // given
        FunctionDef function = function("python3 -c 'import json, os; print(json.dumps(sorted(os.environ)))'");

        // when
        Execution execution = runtime.invoke(RuntimeFixtures.job(function, "{}", Duration.ofSeconds(30), Map.of("GREETING", "hi"))).join();

        // then
        assertThat(success(execution)).isEqualTo(json("[\"GREETING\", \"HOME\", \"LANG\", \"PATH\"]"));
    }

    @Test
    void nothingOnStdoutIsANullResult() {
        // when
        Execution execution = run(function("true"), "{}");

        // then
        assertThat(execution.result()).isEqualTo(new InvocationResult.Success(json("null")));
    }

    @Test
    void stdoutThatIsNotJsonIsAFunctionError() {
        // when
        Execution execution = run(function("echo hello world"), "{}");

        // then
        assertThat(execution.result()).isEqualTo(new InvocationResult.Failure("FunctionError",
                "Expected process function 'f' to write its result as JSON on stdout, but it wrote: hello world"));
    }

    @Test
    void twoJsonValuesOnStdoutAreNotOneResult() {
        // when
        Execution execution = run(function("echo '{\"a\": 1} {\"b\": 2}'"), "{}");

        // then
        assertThat(failure(execution).type()).isEqualTo("FunctionError");
    }

    @Test
    void aNonZeroExitFailsWithTheTailOfStderr() {
        // when
        Execution execution = run(function("sh -c 'echo starting >&2; echo \"card declined\" >&2; exit 3'"), "{}");

        // then
        assertThat(execution.result()).isEqualTo(new InvocationResult.Failure("FunctionError",
                "process function 'f' exited with status 3: starting\ncard declined"));
        assertThat(execution.logs()).isEqualTo("starting\ncard declined\n");
    }

    @Test
    void theStderrTailInAnErrorIsAtMost2KiB() {
        // when
        Execution execution = run(function("python3 -c 'import sys; sys.stderr.write(\"x\" * 10000 + \"END\"); sys.exit(1)'"), "{}");

        // then
        String message = failure(execution).message();
        String prefix = "process function 'f' exited with status 1: ";
        assertThat(message).startsWith(prefix).endsWith("xxxEND");
        assertThat(message.length() - prefix.length()).isEqualTo(StderrCollector.TAIL_BYTES);
        assertThat(execution.logs()).hasSize(10003);
    }

    @Test
    void logsAreKeptUpTo64KiBAndMarkedWhenCut() {
        // when
        Execution execution = run(function("python3 -c 'import sys; sys.stderr.write(\"y\" * 200000); print(1)'"), "{}");

        // then
        assertThat(success(execution)).isEqualTo(json("1"));
        assertThat(execution.logs()).isEqualTo("y".repeat(ActivationLogs.MAX_BYTES) + ActivationLogs.TRUNCATED_MARKER);
    }

    @Test
    void aChattyProcessThatWritesBeforeReadingDoesNotDeadlock() {
        // given an input and a stderr both larger than a pipe's buffer
        String input = JSON.createObjectNode().put("blob", "z".repeat(500_000)).toString();
        FunctionDef function = function("python3 -c 'import sys; sys.stderr.write(\"e\" * 1000000); sys.stdout.write(sys.stdin.read())'");

        // when
        Execution execution = run(function, input);

        // then
        assertThat(success(execution).get("blob").asText()).hasSize(500_000);
    }

    @Test
    void aTimeoutKillsTheWholeProcessGroup() {
        // given a process that leaves a child sleeping in the background
        FunctionDef function = function("sh -c 'sleep 300 & echo \"child $!\" >&2; sleep 300'");

        // when
        Execution execution = runtime.invoke(RuntimeFixtures.job(function, "{}", Duration.ofMillis(700))).join();

        // then
        assertThat(execution.result()).isEqualTo(new InvocationResult.Failure("Timeout",
                "process function 'f' did not finish within PT0.7S and was killed"));
        assertThat(execution.duration()).isLessThan(Duration.ofSeconds(10));
        long child = pidAfter("child ", execution.logs());
        await().atMost(Duration.ofSeconds(5)).until(() -> !alive(child));
    }

    @Test
    void aBackgroundChildLeftBehindByANormalExitIsKilledToo() {
        // when
        Execution execution = run(function("sh -c 'sleep 300 >/dev/null 2>&1 & echo $!'"), "{}");

        // then
        long child = success(execution).asLong();
        assertThat(child).isPositive();
        await().atMost(Duration.ofSeconds(5)).until(() -> !alive(child));
    }

    @Test
    void aResultOverTheLimitIsLimitExceededWithoutWaitingForTheProcess() {
        // when
        Execution execution = run(function("sh -c 'head -c 2000000 /dev/zero; sleep 300'"), "{}");

        // then
        assertThat(execution.result()).isEqualTo(new InvocationResult.Failure("LimitExceeded",
                "the result of process function 'f' is over the limit 'function result' of 1048576 bytes; it was killed"));
        assertThat(execution.duration()).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void aMemoryHogFailsCleanlyUnderItsAddressSpaceLimit() {
        // given
        FunctionDef hog = RuntimeFixtures.function("""
                function: f
                runtime: process
                memory: 64
                handler: "python3 -c 'x = bytearray(512 * 1024 * 1024); print(len(x))'"
                """);

        // when
        Execution execution = run(hog, "{}");

        // then
        assertThat(failure(execution).type()).isEqualTo("FunctionError");
        assertThat(failure(execution).message()).startsWith("process function 'f' exited with status 1: ").endsWith("MemoryError");
        assertThat(success(run(function("echo 1"), "{}"))).isEqualTo(json("1"));
    }

    @Test
    void anUnknownCommandFailsWithWhatExecSaid() {
        // when
        Execution execution = run(function("no-such-command --flag"), "{}");

        // then
        assertThat(failure(execution).message())
                .startsWith("process function 'f' exited with status 127: ")
                .contains("no-such-command");
    }

    @Test
    void aHandlerWithAnUnclosedQuoteIsAFunctionError() {
        // when
        Execution execution = run(function("echo 'oops"), "{}");

        // then
        assertThat(execution.result()).isEqualTo(new InvocationResult.Failure("FunctionError",
                "Expected process function 'f' to have a command line as its handler, but: Expected a closing ' for the one"
                        + " at column 6 of the command line [echo 'oops], but the line ends first"));
    }

    private Execution run(FunctionDef function, String input) {
        return runtime.invoke(RuntimeFixtures.job(function, input, Duration.ofSeconds(30))).join();
    }

    private static FunctionDef function(String handler) {
        try {
            return RuntimeFixtures.function("function: f\nruntime: process\ncode: fn\nhandler: " + JSON.writeValueAsString(handler) + "\n");
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static JsonNode success(Execution execution) {
        assertThat(execution.result()).isInstanceOf(InvocationResult.Success.class);
        return ((InvocationResult.Success) execution.result()).result();
    }

    private static InvocationResult.Failure failure(Execution execution) {
        assertThat(execution.result()).isInstanceOf(InvocationResult.Failure.class);
        return (InvocationResult.Failure) execution.result();
    }

    private static long pidAfter(String label, String logs) {
        Matcher m = Pattern.compile(Pattern.quote(label) + "(\\d+)").matcher(logs);
        assertThat(m.find()).as("logs [%s] name the %s pid", logs, label).isTrue();
        return Long.parseLong(m.group(1));
    }

    /** Alive and not a zombie waiting for init to reap it. */
    static boolean alive(long pid) {
        try {
            List<String> stat = List.of(Files.readString(Path.of("/proc/" + pid + "/stat")).split(" "));
            String state = stat.get(stat.indexOf(stat.stream().filter(s -> s.endsWith(")")).reduce((a, b) -> b).orElseThrow()) + 1);
            return !state.equals("Z") && !state.equals("X");
        } catch (IOException e) {
            return false;
        }
    }
}
