package dev.tributary.dsl.expr;

import static dev.tributary.dsl.expr.ExprFixtures.anOrder;
import static dev.tributary.dsl.expr.ExprFixtures.anOrderContext;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Attempts to reach the host from an expression. Each must fail where stated (at compile time with an
 * {@link ExpressionSyntaxException}, or when evaluated with an {@link ExpressionError}) and leave no trace: no marker
 * file, no change to system properties, to the context or to the set of threads, no internals in the message.
 */
class SandboxEscapeTest {

    private static final Path MARKER = Path.of(System.getProperty("java.io.tmpdir"), "tributary-sandbox-marker");
    private static final String M = MARKER.toString();

    enum Fails { AT_COMPILE, AT_EVALUATION }

    private static final Expressions EXPRESSIONS = Expressions.sandboxed();

    static Stream<Arguments> escapes() {
        String redos = "'" + "a".repeat(40) + "!' =~ '(.*a){12}'";
        return Stream.of(
                // class and reflection access
                arguments("''.class.forName('java.lang.Runtime')", Fails.AT_EVALUATION),
                arguments("''.getClass()", Fails.AT_EVALUATION),
                arguments("''.class", Fails.AT_EVALUATION),
                arguments("input.getClass().getClassLoader()", Fails.AT_EVALUATION),
                arguments("input.class.name", Fails.AT_EVALUATION),
                arguments("''.class.forName('java.lang.Runtime').getMethod('getRuntime').invoke(null)", Fails.AT_EVALUATION),
                arguments("uuid().getClass()", Fails.AT_EVALUATION),
                arguments("now().class.forName('java.lang.Runtime')", Fails.AT_EVALUATION),
                arguments("error.getClass()", Fails.AT_EVALUATION),
                arguments("{'a': 1}.getClass().getProtectionDomain()", Fails.AT_EVALUATION),
                arguments("data.items.iterator().next().getClass()", Fails.AT_EVALUATION),
                arguments("''.getBytes()", Fails.AT_EVALUATION),
                arguments("'x'.matches('.*')", Fails.AT_EVALUATION),
                arguments("size.class", Fails.AT_COMPILE),
                arguments("Math.class", Fails.AT_EVALUATION),
                // static access, processes, files, network, threads
                arguments("java.lang.System.exit(1)", Fails.AT_EVALUATION),
                arguments("System.exit(1)", Fails.AT_EVALUATION),
                arguments("System.setProperty('tributary.pwned', 'yes')", Fails.AT_EVALUATION),
                arguments("Runtime.getRuntime().exec('touch " + M + "')", Fails.AT_EVALUATION),
                arguments("java.nio.file.Files.createFile(java.nio.file.Path.of('" + M + "'))", Fails.AT_EVALUATION),
                arguments("new('java.lang.ProcessBuilder', 'touch', '" + M + "').start()", Fails.AT_COMPILE),
                arguments("new('java.io.File', '" + M + "').createNewFile()", Fails.AT_COMPILE),
                arguments("new('java.net.URL', 'http://127.0.0.1:1/').openStream()", Fails.AT_COMPILE),
                arguments("new('java.lang.Thread')", Fails.AT_COMPILE),
                arguments("x = new java.lang.Thread()", Fails.AT_COMPILE),
                arguments("#pragma jexl.namespace.sys java.lang.System\nsys:setProperty('tributary.pwned', 'yes')", Fails.AT_COMPILE),
                arguments("#pragma jexl.import java.lang\nRuntime.getRuntime()", Fails.AT_COMPILE),
                arguments("sys:exit(1)", Fails.AT_EVALUATION),
                arguments("@synchronized(input) { 1 }", Fails.AT_COMPILE),
                arguments("this.getClass()", Fails.AT_EVALUATION),
                arguments("$jexl.newInstance('java.io.File', '" + M + "')", Fails.AT_EVALUATION),
                arguments("$context.set('data', 1)", Fails.AT_EVALUATION),
                arguments("`${''.class}`", Fails.AT_COMPILE),
                // mutation of the context
                arguments("input.x = 0", Fails.AT_COMPILE),
                arguments("data['x'] = 1", Fails.AT_COMPILE),
                arguments("data = {}", Fails.AT_COMPILE),
                arguments("data.total += 1", Fails.AT_COMPILE),
                arguments("var data = 1; data", Fails.AT_COMPILE),
                arguments("data.tags.add(1)", Fails.AT_EVALUATION),
                arguments("data.remove('total')", Fails.AT_EVALUATION),
                arguments("data.customer.put('name', 'Mallory')", Fails.AT_EVALUATION),
                arguments("data.tags.clear()", Fails.AT_EVALUATION),
                arguments("var d = data; d.total = 0", Fails.AT_EVALUATION),
                arguments("var t = data.tags; t[0] = 'hacked'", Fails.AT_EVALUATION),
                arguments("var m = {'a': 1}; m.a = 2; m", Fails.AT_EVALUATION),
                // functions and recursion
                arguments("var f = function(n) { f(n) }; f(1)", Fails.AT_COMPILE),
                arguments("var f = (n) -> n; f(1)", Fails.AT_COMPILE),
                // runaway time and memory
                arguments("while (true) {}", Fails.AT_EVALUATION),
                arguments("for (;;) {}", Fails.AT_EVALUATION),
                arguments("do { } while (true)", Fails.AT_EVALUATION),
                arguments("try { while (true) {} } catch (e) { 'swallowed' }", Fails.AT_EVALUATION),
                arguments("var s = 'x'; while (true) { s = s + s }", Fails.AT_EVALUATION),
                arguments("var s = 'x'; while (true) { s += s }", Fails.AT_EVALUATION),
                arguments("var s = 'x'; while (true) { try { s = s + s } catch (e) { } }", Fails.AT_EVALUATION),
                arguments("var s = 'xxxxxxxxxx'; while (true) { s = s.replace('x', 'xx') }", Fails.AT_EVALUATION),
                arguments("'x'.repeat(1000000000)", Fails.AT_EVALUATION),
                arguments("var a = []; while (true) { a = [a, a] }", Fails.AT_EVALUATION),
                arguments("var m = {}; for (var i : 1..100) { m = {'a': m, 'b': m} }; toJson(m)", Fails.AT_EVALUATION),
                arguments("var m = {}; for (var i : 1..100) { m = {'a': m} }; m", Fails.AT_EVALUATION),
                arguments("var n = 0; for (var i : 1..2000000000) { n++ }", Fails.AT_EVALUATION),
                arguments(redos, Fails.AT_EVALUATION),
                arguments("var s = 'ab'; while (true) { s = base64Encode(s + s) }", Fails.AT_EVALUATION));
    }

    @BeforeAll
    static void startTheWatchdogOnce() throws Exception {
        // the watchdog's single daemon thread starts with the first looping script; it is not a leak
        try {
            EXPRESSIONS.compile("while (true) {}").evaluate(EvalContext.builder().build());
        } catch (ExpressionError expected) {
            // stopped, as it should be
        }
        Files.deleteIfExists(MARKER);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("escapes")
    @Timeout(value = 5, unit = TimeUnit.SECONDS)
    void anEscapeAttemptFailsWithoutSideEffects(String source, Fails where) throws Exception {
        // given
        JsonNode data = anOrder();
        JsonNode dataBefore = data.deepCopy();
        EvalContext context = anOrderContext().input(data).data(data).build();
        Map<Object, Object> propertiesBefore = new HashMap<>(System.getProperties());
        Set<Thread> threadsBefore = Thread.getAllStackTraces().keySet();

        // when / then
        if (where == Fails.AT_COMPILE) {
            assertThatThrownBy(() -> EXPRESSIONS.compile(source)).isInstanceOf(ExpressionSyntaxException.class);
        } else {
            Expression expression = EXPRESSIONS.compile(source);
            assertThatThrownBy(() -> expression.evaluate(context))
                    .isInstanceOf(ExpressionError.class)
                    .satisfies(e -> assertThat(e.getMessage())
                            .startsWith("expression '")
                            .satisfies(m -> assertThat(m.substring(m.lastIndexOf("' failed: ")))
                                    .doesNotContain("org.apache", "jexl3", "dev.tributary", "Exception", "\tat ")));
        }

        // then nothing happened on the host
        assertThat(MARKER).doesNotExist();
        assertThat(new HashMap<>(System.getProperties())).isEqualTo(propertiesBefore);
        assertThat(data).isEqualTo(dataBefore);
        assertThat(Thread.getAllStackTraces().keySet()).allMatch(t -> threadsBefore.contains(t) || !t.isAlive());
    }

    @Test
    void thereAreAtLeastThirtyAttempts() {
        assertThat(escapes().count()).isGreaterThanOrEqualTo(30);
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.SECONDS)
    void aRunawayLoopIsStoppedNearTheTimeBound() throws Exception {
        // given
        Expressions quick = Expressions.sandboxed(new ExpressionLimits(java.time.Duration.ofMillis(50), 1 << 20));
        Expression loop = quick.compile("var i = 0; while (true) { i++ }");
        long started = System.nanoTime();

        // when / then
        assertThatThrownBy(() -> loop.evaluate(EvalContext.builder().build()))
                .isInstanceOf(ExpressionError.class)
                .hasMessage("expression 'var i = 0; while (true) { i++ }' failed: stopped after running longer than 50 ms");
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isBetween(45L, 1000L);
    }

    @Test
    void theCallersThreadIsNotInterrupted() throws Exception {
        // given
        Expression loop = EXPRESSIONS.compile("while (true) {}");

        // when
        assertThatThrownBy(() -> loop.evaluate(EvalContext.builder().build())).isInstanceOf(ExpressionError.class);

        // then
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
    }
}
