package dev.tributary.functions.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tributary.dsl.expr.EvalContext;
import dev.tributary.dsl.expr.SecretResolver;
import dev.tributary.dsl.expr.ValueTemplate;
import dev.tributary.dsl.model.FunctionDef;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/** The header values an {@code http} function sends, its header templates resolved (secrets, typically). */
@FunctionalInterface
public interface HeaderResolver {

    /**
     * @throws RuntimeException when a value cannot be resolved; the activation fails with its message
     *                          ({@code ExpressionError} for a {@link dev.tributary.dsl.expr.ExpressionError})
     */
    Map<String, String> headers(FunctionDef function);

    /** Constant values only: a header written as an expression fails the activation. */
    HeaderResolver CONSTANTS = function -> {
        Map<String, String> headers = new LinkedHashMap<>();
        EvalContext none = EvalContext.builder().build();
        for (Map.Entry<String, ValueTemplate> header : function.http().headers().entrySet()) {
            if (!header.getValue().isConstant()) {
                throw new IllegalStateException("Expected the header '" + header.getKey() + "' of http function '"
                        + function.name() + "' to be a constant, but it is an expression and this node resolves none");
            }
            headers.put(header.getKey(), header.getValue().evaluate(none).asText());
        }
        return headers;
    };

    /** Every value evaluated now, {@code secret(name)} looked up in {@code secrets}. */
    static HeaderResolver evaluating(SecretResolver secrets, Clock clock) {
        return function -> {
            Map<String, String> headers = new LinkedHashMap<>();
            EvalContext context = EvalContext.builder().now(clock.instant()).secrets(secrets).build();
            for (Map.Entry<String, ValueTemplate> header : function.http().headers().entrySet()) {
                JsonNode value = header.getValue().evaluate(context);
                headers.put(header.getKey(), value == null || value.isNull() ? "" : value.isTextual() ? value.asText() : value.toString());
            }
            return headers;
        };
    }
}
