package dev.tributary.dsl.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tributary.dsl.expr.EvalContext;
import dev.tributary.dsl.expr.Expression;
import dev.tributary.dsl.expr.Expressions;
import dev.tributary.dsl.expr.ValueTemplate;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Cost of evaluating compiled expressions against a realistic run state. Run with
 * {@code mvn -B -ntp -pl dsl -Pbench test-compile exec:exec}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
public class ExpressionBenchmark {

    private static final String ORDER = """
            {"id": "o-2026-000042", "total": 149.90, "currency": "EUR", "tier": "gold", "status": "paid",
             "createdAt": "2026-03-01T12:00:00Z", "channel": "web", "coupon": null, "giftWrap": false,
             "customer": {"id": "c-981", "name": "Ann Example", "email": "ann@example.com", "vip": true,
                          "address": {"street": "1 Rue X", "city": "Lyon", "zip": "69001", "country": "FR"},
                          "orders": 17, "since": "2019-05-04"},
             "items": [
               {"sku": "a-1", "name": "Kettle", "qty": 1, "price": 49.90, "tags": ["kitchen", "electric"]},
               {"sku": "b-2", "name": "Mug", "qty": 4, "price": 12.50, "tags": ["kitchen"]},
               {"sku": "c-3", "name": "Tea", "qty": 2, "price": 25.00, "tags": ["food", "organic"]}],
             "shipping": {"method": "express", "cost": 0, "eta": "2026-03-03"},
             "payment": {"method": "card", "last4": "4242", "receipt": {"id": "ch_123", "amount": 149.90}},
             "charge": {"status": "ok", "attempts": 1}, "flags": ["new", "priority"]}
            """;

    private Expression comparison;
    private ValueTemplate interpolation;
    private EvalContext context;

    @Setup
    public void setUp() throws Exception {
        Expressions expressions = Expressions.sandboxed();
        comparison = expressions.compile("data.total > 100 && data.tier == 'gold'");
        interpolation = expressions.template("order ${ data.id } for ${ data.customer.name }: ${ data.total * 2 }");
        JsonNode order = new ObjectMapper().readTree(ORDER);
        context = EvalContext.builder()
                .input(order)
                .data(order.deepCopy())
                .run(new ObjectMapper().readTree("{\"id\": \"r-1\", \"workflow\": \"orders\", \"version\": 3}"))
                .now(Instant.parse("2026-03-01T12:00:00Z"))
                .build();
        if (!comparison.test(context)
                || !interpolation.evaluate(context).textValue().equals("order o-2026-000042 for Ann Example: 299.8")) {
            throw new IllegalStateException("benchmark expressions do not evaluate as expected");
        }
    }

    /** A simple condition as a JSON value (what {@code set}/{@code with} get). */
    @Benchmark
    public JsonNode comparisonEvaluate() {
        return comparison.evaluate(context);
    }

    /** The same as a condition ({@code if}, {@code when}, rule filters). */
    @Benchmark
    public boolean comparisonTest() {
        return comparison.test(context);
    }

    /** A string with three interpolated expressions. */
    @Benchmark
    public JsonNode templateInterpolation() {
        return interpolation.evaluate(context);
    }
}
