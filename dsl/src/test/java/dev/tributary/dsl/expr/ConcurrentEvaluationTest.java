package dev.tributary.dsl.expr;

import static dev.tributary.dsl.expr.ExprFixtures.json;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class ConcurrentEvaluationTest {

    private static final int THREADS = 8;
    private static final int ROUNDS = 2_000;

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void oneCompiledExpressionEvaluatedFromManyThreadsGivesEachItsOwnResult() throws Exception {
        // given
        // a generous time bound: the bound is wall-clock, and this test may share two CPUs with eight threads
        Expressions expressions = Expressions.sandboxed(new ExpressionLimits(Duration.ofSeconds(10), 1 << 20));
        Expression expression = expressions.compile("data.a * 1000 + data.b + size(data.list)");
        Expression looping = expressions.compile("var n = 0; for (var x : data.list) { n += x }; n + data.a");
        ValueTemplate template = expressions.template("${ data.a }-${ data.b }");
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);

        try {
            // when
            List<Future<Integer>> failures = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            Callable<Integer> work = () -> {
                int wrong = 0;
                for (int r = 0; r < ROUNDS; r++) {
                    EvalContext context = EvalContext.builder()
                            .data(json("{a: " + thread + ", b: " + r + ", list: [1, 2, " + r + "]}"))
                            .build();
                    wrong += expression.evaluate(context).intValue() == thread * 1000 + r + 3 ? 0 : 1;
                    wrong += looping.evaluate(context).intValue() == 3 + r + thread ? 0 : 1;
                    wrong += template.evaluate(context).textValue().equals(thread + "-" + r) ? 0 : 1;
                }
                return wrong;
            };
            failures.add(pool.submit(work));
        }

            // then
            for (Future<Integer> wrong : failures) {
                assertThat(wrong.get()).isZero();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
