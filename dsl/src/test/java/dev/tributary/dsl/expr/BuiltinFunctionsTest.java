package dev.tributary.dsl.expr;

import static dev.tributary.dsl.expr.ExprFixtures.TOKEN;
import static dev.tributary.dsl.expr.ExprFixtures.anOrderContext;
import static dev.tributary.dsl.expr.ExprFixtures.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BuiltinFunctionsTest {

    private final Expressions expressions = Expressions.sandboxed();

    private JsonNode eval(String source, EvalContext context) throws ExpressionSyntaxException {
        return expressions.compile(source).evaluate(context);
    }

    private JsonNode eval(String source) throws ExpressionSyntaxException {
        return eval(source, anOrderContext().build());
    }

    @Test
    void nowReadsTheContextsClockOnly() throws Exception {
        // given
        EvalContext context = anOrderContext().now(Instant.parse("2030-01-02T03:04:05.678Z")).build();

        // when / then
        assertThat(eval("now()", context).textValue()).isEqualTo("2030-01-02T03:04:05.678Z");
        assertThat(eval("now() > '2029'", context).booleanValue()).isTrue();
    }

    @Test
    void nowWithoutAClockFails() {
        // given
        EvalContext context = EvalContext.builder().build();

        // when / then
        assertThatThrownBy(() -> eval("now()", context))
                .isInstanceOf(ExpressionError.class)
                .hasMessage("expression 'now()' failed: now() needs a clock, and the evaluation context has none");
    }

    @Test
    void uuidComesFromTheContextsSupplierAndIsRandomByDefault() throws Exception {
        // given
        AtomicInteger counter = new AtomicInteger();
        EvalContext counting = anOrderContext().uuids(() -> "id-" + counter.incrementAndGet()).build();
        EvalContext random = EvalContext.builder().build();

        // when / then
        assertThat(eval("uuid() + ',' + uuid()", counting).textValue()).isEqualTo("id-1,id-2");
        assertThat(eval("uuid()", random).textValue()).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}");
        assertThat(eval("uuid()", random)).isNotEqualTo(eval("uuid()", random));
    }

    @Test
    void base64EncodesAndDecodesUtf8Text() throws Exception {
        // given / when / then
        assertThat(eval("base64Encode('héllo wörld')").textValue()).isEqualTo("aMOpbGxvIHfDtnJsZA==");
        assertThat(eval("base64Decode('aMOpbGxvIHfDtnJsZA==')").textValue()).isEqualTo("héllo wörld");
        assertThat(eval("base64Decode(base64Encode(data.email))").textValue()).isEqualTo("ann@example.com");
        assertThat(eval("base64Decode('-_8=') == base64Decode('+/8=')").booleanValue()).isTrue();
    }

    @Test
    void base64DecodeRejectsNonBase64() {
        // given / when / then
        assertThatThrownBy(() -> eval("base64Decode('not base64!')"))
                .isInstanceOf(ExpressionError.class)
                .hasMessageContaining("base64Decode() was given text that is not base64");
    }

    @Test
    void parseJsonAndToJsonRoundTrip() throws Exception {
        // given / when / then
        assertThat(eval("parseJson('{\"a\": [1, {\"b\": true}]}')")).isEqualTo(json("{a: [1, {b: true}]}"));
        assertThat(eval("parseJson('{\"a\": [1, 2]}').a[1]")).isEqualTo(json("2"));
        assertThat(eval("parseJson('null')").isNull()).isTrue();
        assertThat(eval("toJson(data.customer)").textValue())
                .isEqualTo("{\"name\":\"Ann\",\"vip\":true,\"address\":{\"city\":\"Lyon\"}}");
        assertThat(eval("toJson({'x': [1, 'two', null]})").textValue()).isEqualTo("{\"x\":[1,\"two\",null]}");
        assertThat(eval("toJson('text')").textValue()).isEqualTo("\"text\"");
        assertThat(eval("parseJson(toJson(data.items)) == data.items").booleanValue()).isTrue();
    }

    @Test
    void parseJsonReportsWhereTheTextIsBrokenWithoutQuotingIt() {
        // given / when / then
        assertThatThrownBy(() -> eval("parseJson('{\"a\": }')"))
                .isInstanceOf(ExpressionError.class)
                .hasMessageContaining("parseJson() was given text that is not valid JSON (line 1, column 7)");
    }

    @Test
    void sizeCountsCharactersElementsAndFields() throws Exception {
        // given / when / then
        assertThat(eval("size('héllo')").intValue()).isEqualTo(5);
        assertThat(eval("size(data.items)").intValue()).isEqualTo(2);
        assertThat(eval("size(data.customer)").intValue()).isEqualTo(3);
        assertThat(eval("size(data.note)").intValue()).isZero();
        assertThat(eval("size(data.missing)").intValue()).isZero();
        assertThat(eval("size([1, 2, 3])").intValue()).isEqualTo(3);
    }

    @Test
    void durationIsMilliseconds() throws Exception {
        // given / when / then
        assertThat(eval("duration('1h30m')").longValue()).isEqualTo(5_400_000L);
        assertThat(eval("duration('PT2S')").longValue()).isEqualTo(2_000L);
        assertThat(eval("duration('500ms') < duration('1s')").booleanValue()).isTrue();
        assertThatThrownBy(() -> eval("duration('soon')"))
                .isInstanceOf(ExpressionError.class)
                .hasMessageContaining("'soon' is not a duration");
    }

    @Test
    void secretReturnsTheValueAndRecordsItForRedaction() throws Exception {
        // given
        EvalContext context = anOrderContext().build();
        assertThat(context.redactions().isEmpty()).isTrue();

        // when
        JsonNode value = eval("'Bearer ' + secret('tok')", context);

        // then
        assertThat(value.textValue()).isEqualTo("Bearer " + TOKEN);
        assertThat(context.redactions().isEmpty()).isFalse();
        assertThat(context.redactions().redact("header: Bearer " + TOKEN + ", again " + TOKEN))
                .isEqualTo("header: Bearer ***, again ***");
        assertThat(context.redactions().redact(json("{h: ['Bearer " + TOKEN + "', 3], k: 'plain'}")))
                .isEqualTo(json("{h: ['Bearer ***', 3], k: 'plain'}"));
    }

    @Test
    void redactingATreeWithoutSecretsReturnsItAsIs() throws Exception {
        // given
        EvalContext context = anOrderContext().build();
        eval("secret('tok')", context);
        JsonNode clean = json("{a: ['b', 1]}");

        // when / then
        assertThat(context.redactions().redact(clean)).isSameAs(clean);
    }

    @Test
    void foreachCopiesShareTheRedactions() throws Exception {
        // given
        EvalContext context = anOrderContext().build();
        EvalContext iteration = context.withItem("line", json("{sku: 'x'}"), 3);

        // when
        JsonNode value = eval("line.sku + index + secret('tok').length()", iteration);

        // then
        assertThat(value.textValue()).isEqualTo("x3" + TOKEN.length());
        assertThat(context.redactions().redact(TOKEN)).isEqualTo("***");
    }

    @Test
    void anUndefinedSecretFails() {
        // given / when / then
        assertThatThrownBy(() -> eval("secret('nope')"))
                .isInstanceOf(ExpressionError.class)
                .hasMessage("expression 'secret('nope')' failed: secret 'nope' is not defined");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "secret('tok') + 1/0",
            "secret('tok').foo()",
            "secret('tok').nope",
            "throw 'leaking ' + secret('tok')",
            "duration(secret('tok'))",
            "parseJson(secret('tok'))",
            "base64Decode(secret('tok') + '!')",
            "secret('tok') * 2",
            "secret('tok') > 1",
            "var s = secret('tok'); s.substring(0, 3) + s.getClass()",
            "[secret('tok')][0].toString().class",
            "{'k': secret('tok')}.k.x.y",
    })
    void aSecretNeverAppearsInAnErrorMessage(String source) throws Exception {
        // given
        EvalContext context = anOrderContext().build();
        Expression expression = expressions.compile(source);

        // when / then
        assertThatThrownBy(() -> expression.evaluate(context))
                .isInstanceOf(ExpressionError.class)
                .satisfies(e -> {
                    assertThat(e.getMessage()).startsWith("expression '").doesNotContain(TOKEN);
                    assertThat(e.getCause()).isNull();
                });
    }

    @Test
    void unknownFunctionsFail() {
        // given / when / then
        assertThatThrownBy(() -> eval("exec('ls')"))
                .isInstanceOf(ExpressionError.class)
                .hasMessageContaining("'exec' is not a function or method that can be called here");
    }
}
