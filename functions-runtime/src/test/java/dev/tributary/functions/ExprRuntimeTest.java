package dev.tributary.functions;

import static dev.tributary.functions.FunctionFixtures.exprFunction;
import static dev.tributary.functions.FunctionFixtures.job;
import static dev.tributary.functions.FunctionFixtures.json;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class ExprRuntimeTest {

    private final Clock clock = Clock.fixed(Instant.parse("2026-05-01T10:00:00Z"), ZoneOffset.UTC);
    private final ExprRuntime runtime = new ExprRuntime(clock, 1 << 20);

    @Test
    void evaluatesTheExpressionOverTheInput() {
        // given
        var sum = exprFunction("${ input.a + input.b }");

        // when
        InvocationResult result = runtime.invoke(job(sum, "{\"a\": 2, \"b\": 3}")).join().result();

        // then
        assertThat(result).isEqualTo(new InvocationResult.Success(json("5")));
    }

    @Test
    void keepsTheJsonTypeOfAnObjectResult() {
        // given
        var shape = FunctionFixtures.function("""
                function: shape
                runtime: expr
                expr: { total: "${ input.a * 2 }", label: "n=${ input.a }" }
                """);

        // when
        InvocationResult result = runtime.invoke(job(shape, "{\"a\": 4}")).join().result();

        // then
        assertThat(result).isEqualTo(new InvocationResult.Success(json("{\"total\": 8, \"label\": \"n=4\"}")));
    }

    @Test
    void readsNowFromTheInjectedClock() {
        // given
        var stamp = exprFunction("${ now() }");

        // when
        InvocationResult result = runtime.invoke(job(stamp, "{}")).join().result();

        // then
        assertThat(result).isEqualTo(new InvocationResult.Success(json("\"2026-05-01T10:00:00Z\"")));
    }

    @Test
    void aFailingExpressionIsAnExpressionError() {
        // given
        var broken = exprFunction("${ input.missing.field }");

        // when
        InvocationResult result = runtime.invoke(job(broken, "{}")).join().result();

        // then
        assertThat(result).isInstanceOfSatisfying(InvocationResult.Failure.class, f -> {
            assertThat(f.type()).isEqualTo("ExpressionError");
            assertThat(f.message()).contains("input.missing.field");
        });
    }

    @Test
    void aResultOverTheLimitIsLimitExceeded() {
        // given
        var small = new ExprRuntime(clock, 16);
        var echo = exprFunction("${ input }");

        // when
        InvocationResult result = small.invoke(job(echo, "{\"text\": \"more than sixteen bytes\"}")).join().result();

        // then
        assertThat(result).isInstanceOfSatisfying(InvocationResult.Failure.class,
                f -> assertThat(f.type()).isEqualTo("LimitExceeded"));
    }
}
