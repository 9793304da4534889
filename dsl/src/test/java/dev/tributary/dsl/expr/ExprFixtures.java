package dev.tributary.dsl.expr;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/** Object mothers for expression tests. */
final class ExprFixtures {

    static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    static final String TOKEN = "tok-9f8e7d6c5b4a";

    private static final JsonMapper LENIENT = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_SINGLE_QUOTES)
            .enable(JsonReadFeature.ALLOW_UNQUOTED_FIELD_NAMES)
            .build();

    private ExprFixtures() {
    }

    /** JSON written with single quotes and bare keys, for readable tests. */
    static JsonNode json(String text) {
        try {
            return LENIENT.readTree(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode anOrder() {
        return json("""
                {id: 'o-42', total: 150, tier: 'gold', email: 'ann@example.com',
                 customer: {name: 'Ann', vip: true, address: {city: 'Lyon'}},
                 items: [{sku: 'a-1', qty: 2, price: 2.5}, {sku: 'b-2', qty: 1, price: 10}],
                 tags: ['new', 'priority'], note: null, big: 12345678901, ratio: 0.25}
                """);
    }

    /** A context over {@link #anOrder()} with a fixed clock, fixed UUIDs and one secret {@code tok}. */
    static EvalContext.Builder anOrderContext() {
        JsonNode order = anOrder();
        return EvalContext.builder()
                .input(order)
                .data(order)
                .event(json("{type: 'order.created', subject: 'o-42'}"))
                .run(json("{id: 'r-1', workflow: 'fulfil', version: 3}"))
                .now(NOW)
                .uuids(() -> "00000000-0000-0000-0000-000000000001")
                .secrets(secrets(Map.of("tok", TOKEN)));
    }

    static SecretResolver secrets(Map<String, String> values) {
        return name -> Optional.ofNullable(values.get(name));
    }
}
