package dev.tributary.functions.worker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The node worker bootstrap, run by the real node over a real Unix socket, speaking the worker protocol. */
@Timeout(10) // a worker that never answers fails the test: the interrupt closes the blocked channel
class NodeBootstrapTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NODE = "/usr/bin/node";
    private static final String MARKER = "\n[log truncated: activation logs are kept up to 64 KiB]\n";

    @TempDir
    Path dir;

    private Path bootstrap;
    private final List<Worker> workers = new ArrayList<>();

    @BeforeEach
    void copyBootstrap() throws IOException {
        bootstrap = dir.resolve("bootstrap.js");
        try (InputStream in = NodeBootstrapTest.class.getResourceAsStream("/dev/tributary/functions/worker/node/bootstrap.js")) {
            Files.copy(in, bootstrap);
        }
    }

    @AfterEach
    void stopWorkers() {
        workers.forEach(Worker::kill);
    }

    @Test
    void saysHelloOnceTheCodeIsLoaded() {
        // given
        Worker worker = start("exports.main = (args) => args;", "main");

        // when
        JsonNode hello = worker.read();

        // then
        assertThat(hello.path("hello").asText()).isEqualTo("token-1");
        assertThat(hello.path("pid").asLong()).isEqualTo(worker.process.pid());
        assertThat(hello.path("ok").asBoolean()).isTrue();
        assertThat(hello.has("spare")).isFalse();
    }

    @Test
    void callsASynchronousMainForEachActivation() {
        // given
        Worker worker = started("exports.main = (args) => ({ doubled: args.x * 2 });", "main");

        // when
        JsonNode first = worker.invoke("a-1", "{\"x\": 21}");
        JsonNode second = worker.invoke("a-2", "{\"x\": 5}");

        // then
        assertThat(first).isEqualTo(json("{\"done\": \"a-1\", \"ok\": true, \"result\": {\"doubled\": 42}, \"logs\": \"\"}"));
        assertThat(second.path("result")).isEqualTo(json("{\"doubled\": 10}"));
    }

    @Test
    void awaitsAnAsynchronousMain() {
        // given
        Worker worker = started("""
                exports.main = async (args) => {
                  await new Promise((resolve) => setTimeout(resolve, 20));
                  return args.missing;
                };
                """, "main");

        // when
        JsonNode done = worker.invoke("a-1", "{}");

        // then an undefined result is JSON null
        assertThat(done).isEqualTo(json("{\"done\": \"a-1\", \"ok\": true, \"result\": null, \"logs\": \"\"}"));
    }

    @Test
    void givesALambdaHandlerItsContext() {
        // given
        Worker worker = started("""
                exports.handler = async (event, context) => ({
                  event,
                  functionName: context.functionName,
                  activationId: context.activationId,
                  idempotencyKey: context.idempotencyKey,
                  attempt: context.attempt,
                  remaining: context.getRemainingTimeInMillis(),
                });
                """, "function.handler");
        long now = Clock.systemUTC().millis();

        // when
        JsonNode inTime = worker.invoke("a-1", "{\"order\": 7}", now + 30_000);
        JsonNode late = worker.invoke("a-2", "{}", now - 1_000);

        // then
        JsonNode result = inTime.path("result");
        assertThat(result.path("event")).isEqualTo(json("{\"order\": 7}"));
        assertThat(result.path("functionName").asText()).isEqualTo("pay");
        assertThat(result.path("activationId").asText()).isEqualTo("a-1");
        assertThat(result.path("idempotencyKey").asText()).isEqualTo("key-a-1");
        assertThat(result.path("attempt").asInt()).isEqualTo(2);
        assertThat(result.path("remaining").asLong()).isBetween(20_000L, 30_000L);
        assertThat(late.path("result").path("remaining").asLong()).isZero();
    }

    @Test
    void callsTheModuleItselfWhenItIsTheFunction() {
        // given
        Worker worker = started("module.exports = (args) => 'hello ' + args.name;", "main");

        // when
        JsonNode done = worker.invoke("a-1", "{\"name\": \"ada\"}");

        // then
        assertThat(done.path("result").asText()).isEqualTo("hello ada");
    }

    @Test
    void loadsAnEsModule() throws IOException {
        // given
        Path code = Files.createDirectories(dir.resolve("esm"));
        Files.writeString(code.resolve("package.json"), "{\"type\": \"module\"}");
        Files.writeString(code.resolve("index.js"), "export const main = (args) => ({ esm: args.n });");
        Worker worker = launch(List.of("--code", code.toString(), "--handler", "main", "--module", "index"));
        assertThat(worker.read().path("ok").asBoolean()).isTrue();

        // when
        JsonNode done = worker.invoke("a-1", "{\"n\": 1}");

        // then
        assertThat(done.path("result")).isEqualTo(json("{\"esm\": 1}"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            custom    | CardDeclined | insufficient funds
            renamed   | PaymentError | gateway said no
            builtin   | TypeError    | Cannot read properties of null (reading 'x')
            rejected  | RangeError   | too far
            string    | Error        | plain string
            """)
    void failsTheActivationWithTheErrorsTypeAndMessage(String kind, String type, String message) {
        // given
        Worker worker = started("""
                class CardDeclined extends Error {}
                class Renamed extends Error { constructor(m) { super(m); this.name = 'PaymentError'; } }
                const throwers = {
                  custom: () => { throw new CardDeclined('insufficient funds'); },
                  renamed: () => { throw new Renamed('gateway said no'); },
                  builtin: () => null.x,
                  rejected: async () => { throw new RangeError('too far'); },
                  string: () => { throw 'plain string'; },
                };
                exports.main = (args) => throwers[args.kind]();
                """, "main");

        // when
        JsonNode done = worker.invoke("a-1", "{\"kind\": \"" + kind + "\"}");

        // then
        assertThat(done.path("done").asText()).isEqualTo("a-1");
        assertThat(done.path("ok").asBoolean()).isFalse();
        assertThat(done.path("error")).isEqualTo(JSON.createObjectNode().put("type", type).put("message", message));
    }

    @Test
    void putsAFailuresStackInItsLogs() {
        // given
        Worker worker = started("""
                class CardDeclined extends Error {}
                exports.main = () => { throw new CardDeclined('insufficient funds'); };
                """, "main");

        // when
        JsonNode done = worker.invoke("a-1", "{}");

        // then
        assertThat(done.path("logs").asText()).contains("insufficient funds").contains("function.js:2");
    }

    @Test
    void capturesWhatEachActivationWrites() throws IOException {
        // given
        Worker worker = started("""
                exports.main = (args) => {
                  console.log('log', args.n);
                  console.info('info');
                  console.warn('warn');
                  console.error('error');
                  console.debug('debug');
                  process.stdout.write('out ');
                  process.stderr.write(Buffer.from('err\\n'));
                  console.trace('here');
                  setImmediate(() => console.log('after activation', args.n));
                  return 'ok';
                };
                """, "main");

        // when
        JsonNode first = worker.invoke("a-1", "{\"n\": 1}");
        JsonNode second = worker.invoke("a-2", "{\"n\": 2}");

        // then
        assertThat(first.path("logs").asText())
                .startsWith("log 1\ninfo\nwarn\nerror\ndebug\nout err\nTrace: here\n    at exports.main");
        assertThat(second.path("logs").asText()).startsWith("log 2\ninfo\n").doesNotContain("log 1", "after activation");
        assertThat(Files.readString(dir.resolve("stdout.txt"))).startsWith("after activation 1\n");
    }

    @Test
    void whatLoadingWritesOpensTheFirstActivationsLogs() {
        // given
        Worker worker = started("""
                console.log('loading');
                exports.main = () => { console.log('running'); };
                """, "main");

        // when
        JsonNode first = worker.invoke("a-1", "{}");
        JsonNode second = worker.invoke("a-2", "{}");

        // then
        assertThat(first.path("logs").asText()).isEqualTo("loading\nrunning\n");
        assertThat(second.path("logs").asText()).isEqualTo("running\n");
    }

    @Test
    void cutsTheLogsAt64KiBOnACharacterBoundary() {
        // given 30,000 three-byte characters: 21,845 of them fit in 65,536 bytes
        Worker worker = started("""
                exports.main = () => {
                  console.log('\u20ac'.repeat(30000));
                  console.log('not kept');
                };
                """, "main");

        // when
        JsonNode done = worker.invoke("a-1", "{}");

        // then
        assertThat(done.path("logs").asText()).isEqualTo("\u20ac".repeat(21_845) + MARKER);
    }

    @Test
    void refusesResultsOverTheLimitOrNotJson() {
        // given
        Worker worker = started("""
                exports.main = (args) => {
                  if (args.kind === 'bigint') return { n: 1n };
                  if (args.kind === 'cycle') { const o = {}; o.self = o; return o; }
                  return 'x'.repeat(args.length);
                };
                """, "main");

        // when a string of n characters is n + 2 bytes of JSON
        JsonNode atLimit = worker.invoke("a-1", "{\"length\": 1048574}");
        JsonNode overLimit = worker.invoke("a-2", "{\"length\": 1048575}");
        JsonNode bigint = worker.invoke("a-3", "{\"kind\": \"bigint\"}");
        JsonNode cycle = worker.invoke("a-4", "{\"kind\": \"cycle\"}");

        // then
        assertThat(atLimit.path("result").asText()).hasSize(1_048_574);
        assertThat(overLimit.path("error")).isEqualTo(JSON.createObjectNode().put("type", "LimitExceeded")
                .put("message", "the result of function 'pay' is over the limit 'function result' of 1048576 bytes"));
        assertThat(bigint.path("error").path("type").asText()).isEqualTo("FunctionError");
        assertThat(bigint.path("error").path("message").asText())
                .isEqualTo("the result of function 'pay' cannot be serialised to JSON: Do not know how to serialize a BigInt");
        assertThat(cycle.path("error").path("type").asText()).isEqualTo("FunctionError");
        assertThat(cycle.path("error").path("message").asText()).contains("circular structure");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            exports.main = (args) => { return args +; };  | main         | SyntaxError   | Unexpected token ';'
            exports.other = () => 1;                      | main         | FunctionError | Expected module 'function' to export a function 'main', but it has no such export
            exports.main = 42;                            | main         | FunctionError | Expected module 'function' to export a function 'main', but it is number
            exports.main = () => 1;                       | missing.main | Error         | Cannot find module
            throw new RangeError('bad config');           | main         | RangeError    | bad config
            """)
    void reportsALoadFailureAndExits(String source, String handler, String type, String message) throws Exception {
        // given
        Worker worker = start(source, handler);

        // when
        JsonNode hello = worker.read();

        // then
        assertThat(hello.path("hello").asText()).isEqualTo("token-1");
        assertThat(hello.path("ok").asBoolean()).isFalse();
        assertThat(hello.path("error").path("type").asText()).isEqualTo(type);
        assertThat(hello.path("error").path("message").asText()).startsWith(message);
        assertThat(worker.process.waitFor(5, TimeUnit.SECONDS)).isTrue();
        assertThat(worker.process.exitValue()).isZero();
    }

    @Test
    void aSpareLoadsTheCodeItIsSentWithExactlyTheEnvironmentItIsSent() throws IOException {
        // given
        Path code = writeCode("exports.main = () => ({ env: process.env, cwd: process.cwd() });");
        Path scratch = Files.createDirectories(dir.resolve("scratch"));
        Worker worker = launch(List.of());
        JsonNode hello = worker.read();

        // when
        worker.send(JSON.createObjectNode().set("load", JSON.valueToTree(Map.of(
                "code", code.toString(), "handler", "main", "module", "function",
                "env", Map.of("GREETING", "hi", "EMPTY", ""), "scratch", scratch.toString()))));
        JsonNode loaded = worker.read();
        JsonNode done = worker.invoke("a-1", "{}");

        // then
        assertThat(hello).isEqualTo(json("{\"hello\": \"token-1\", \"pid\": " + worker.process.pid() + ", \"ok\": true, \"spare\": true}"));
        assertThat(loaded).isEqualTo(json("{\"loaded\": true}"));
        assertThat(done.path("result").path("env")).isEqualTo(json("{\"GREETING\": \"hi\", \"EMPTY\": \"\"}"));
        assertThat(done.path("result").path("cwd").asText()).isEqualTo(scratch.toRealPath().toString());
    }

    @Test
    void aSpareThatCannotLoadTheCodeSaysSoAndExits() throws Exception {
        // given
        Path code = writeCode("exports.main = (;");
        Worker worker = launch(List.of());
        worker.read();

        // when
        worker.send(JSON.createObjectNode().set("load", JSON.valueToTree(Map.of(
                "code", code.toString(), "handler", "main", "module", "function", "env", Map.of(), "scratch", dir.toString()))));
        JsonNode loaded = worker.read();

        // then
        assertThat(loaded.path("loaded").asBoolean()).isFalse();
        assertThat(loaded.path("error").path("type").asText()).isEqualTo("SyntaxError");
        assertThat(loaded.path("logs").asText()).contains("function.js:1");
        assertThat(worker.process.waitFor(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void anUncaughtExceptionFailsTheActivationAndEndsTheWorker() throws Exception {
        // given
        Worker worker = started("""
                exports.main = () => new Promise(() => setTimeout(() => { throw new Error('late boom'); }, 1));
                """, "main");

        // when
        JsonNode done = worker.invoke("a-1", "{}");

        // then
        assertThat(done.path("error")).isEqualTo(JSON.createObjectNode().put("type", "Error").put("message", "late boom"));
        assertThat(worker.process.waitFor(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void anUnhandledRejectionFailsTheActivationAndTheWorkerServesOn() {
        // given
        Worker worker = started("""
                exports.main = (args) => {
                  if (!args.reject) return 'still serving';
                  Promise.reject(new TypeError('nobody awaits me'));
                  return new Promise(() => {});
                };
                """, "main");

        // when
        JsonNode rejected = worker.invoke("a-1", "{\"reject\": true}");
        JsonNode next = worker.invoke("a-2", "{}");

        // then
        assertThat(rejected.path("error")).isEqualTo(JSON.createObjectNode().put("type", "TypeError").put("message", "nobody awaits me"));
        assertThat(next.path("result").asText()).isEqualTo("still serving");
    }

    @Test
    void exitsWhenTheServerClosesTheSocket() throws Exception {
        // given
        Worker worker = started("exports.main = () => new Promise(() => {});", "main");
        worker.send(invokeMessage("a-1", "{}", Clock.systemUTC().millis() + 60_000));

        // when the server gives up on a busy worker
        worker.channel.close();

        // then
        assertThat(worker.process.waitFor(5, TimeUnit.SECONDS)).isTrue();
    }

    private Worker started(String source, String handler) {
        Worker worker = start(source, handler);
        JsonNode hello = worker.read();
        assertThat(hello.path("ok").asBoolean()).as("hello %s", hello).isTrue();
        return worker;
    }

    private Worker start(String source, String handler) {
        return launch(List.of("--code", writeCode(source).toString(), "--handler", handler, "--module", "function"));
    }

    private Path writeCode(String source) {
        try {
            Path code = Files.createDirectories(dir.resolve("code"));
            Files.writeString(code.resolve("function.js"), source);
            return code;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Worker launch(List<String> codeArgs) {
        Path socket = dir.resolve("worker.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            List<String> command = new ArrayList<>(List.of(NODE, "--max-old-space-size=64", bootstrap.toString(),
                    "--socket", socket.toString(), "--token", "token-1"));
            command.addAll(codeArgs);
            Process process = new ProcessBuilder(command)
                    .redirectOutput(dir.resolve("stdout.txt").toFile())
                    .redirectError(dir.resolve("stderr.txt").toFile())
                    .start();
            Worker worker = new Worker(process, server.accept());
            workers.add(worker);
            return worker;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ObjectNode invokeMessage(String id, String input, long deadlineMs) {
        ObjectNode message = JSON.createObjectNode().put("invoke", id);
        message.set("input", json(input));
        message.putObject("context").put("function_name", "pay").put("activation_id", id)
                .put("idempotency_key", "key-" + id).put("attempt", 2).put("deadline_ms", deadlineMs);
        return message;
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The server's end of one worker: its process and its connection. */
    private static final class Worker {
        final Process process;
        final SocketChannel channel;
        private final BufferedReader reader;
        private final OutputStream writer;

        Worker(Process process, SocketChannel channel) {
            this.process = process;
            this.channel = channel;
            this.reader = new BufferedReader(new InputStreamReader(Channels.newInputStream(channel), StandardCharsets.UTF_8));
            this.writer = Channels.newOutputStream(channel);
        }

        JsonNode invoke(String id, String input) {
            return invoke(id, input, Clock.systemUTC().millis() + 60_000);
        }

        JsonNode invoke(String id, String input, long deadlineMs) {
            send(invokeMessage(id, input, deadlineMs));
            return read();
        }

        void send(JsonNode message) {
            try {
                writer.write((JSON.writeValueAsString(message) + "\n").getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        JsonNode read() {
            try {
                String line = reader.readLine();
                assertThat(line).as("a line from the worker before it closed the socket").isNotNull();
                return json(line);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        void kill() {
            process.destroyForcibly();
            try {
                channel.close();
            } catch (IOException ignored) {
                // the worker is gone either way
            }
        }
    }
}
