package dev.tributary.dsl.expr;

import static dev.tributary.dsl.expr.ExprFixtures.anOrderContext;
import static dev.tributary.dsl.expr.ExprFixtures.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ValueTemplateTest {

    private final Expressions expressions = Expressions.sandboxed();
    private final EvalContext context = anOrderContext().build();

    private JsonNode eval(String text) throws ExpressionSyntaxException {
        return expressions.template(text).evaluate(context);
    }

    @Test
    void aWholeValueExpressionKeepsTheTypeOfItsResult() throws Exception {
        // given the order in data
        // when / then
        assertThat(eval("${ data.total }")).isEqualTo(json("150"));
        assertThat(eval("${ data.ratio * 2 }")).isEqualTo(json("0.5"));
        assertThat(eval("${ data.total > 100 }")).isEqualTo(json("true"));
        assertThat(eval("${ data.customer }")).isEqualTo(json("{name: 'Ann', vip: true, address: {city: 'Lyon'}}"));
        assertThat(eval("${ data.tags }")).isEqualTo(json("['new', 'priority']"));
        assertThat(eval("${ data.note }").isNull()).isTrue();
        assertThat(eval("${ data.missing }").isNull()).isTrue();
        assertThat(eval("${ {'a': [1, 2], 'b': null} }")).isEqualTo(json("{a: [1, 2], b: null}"));
    }

    @Test
    void surroundingWhitespaceStillMakesAWholeValue() throws Exception {
        // given / when
        JsonNode value = eval("   ${ data.total }\n");

        // then
        assertThat(value.isNumber()).isTrue();
        assertThat(value.intValue()).isEqualTo(150);
    }

    @Test
    void expressionsInsideLongerTextAreInterpolated() throws Exception {
        // given / when / then
        assertThat(eval("order ${ data.id } for ${ data.customer.name }: ${ data.total * 2 }").textValue())
                .isEqualTo("order o-42 for Ann: 300");
        assertThat(eval("vip=${data.customer.vip} ratio=${data.ratio}").textValue()).isEqualTo("vip=true ratio=0.25");
        assertThat(eval("tags: ${ data.tags }").textValue()).isEqualTo("tags: [\"new\",\"priority\"]");
        assertThat(eval("city: ${ data.customer.address }").textValue()).isEqualTo("city: {\"city\":\"Lyon\"}");
        assertThat(eval("${ data.id }${ data.tier }").textValue()).isEqualTo("o-42gold");
    }

    @Test
    void nullInterpolatesAsTheEmptyString() throws Exception {
        // given / when / then
        assertThat(eval("[${ data.note }][${ data.nothing }]").textValue()).isEqualTo("[][]");
    }

    @Test
    void dollarDollarBraceIsALiteralDollarBrace() throws Exception {
        // given
        ValueTemplate template = expressions.template("cost: $${ not.an.expression } is ${ data.total }");

        // when
        JsonNode value = template.evaluate(context);

        // then
        assertThat(value.textValue()).isEqualTo("cost: ${ not.an.expression } is 150");
        assertThat(template.expressions()).extracting(Expression::source).containsExactly("data.total");
    }

    @Test
    void anEscapeAloneIsAConstantWithTheEscapeResolved() throws Exception {
        // given
        ValueTemplate template = expressions.template("$${literal}");

        // when / then
        assertThat(template.isConstant()).isTrue();
        assertThat(template.evaluate(context).textValue()).isEqualTo("${literal}");
        assertThat(template.raw().textValue()).isEqualTo("$${literal}");
        assertThat(Expressions.containsExpression("$${literal}")).isFalse();
        assertThat(Expressions.containsExpression("a $${b} ${c}")).isTrue();
        assertThat(Expressions.containsExpression("costs $5 {ok}")).isFalse();
    }

    @Test
    void bracesAndQuotesInsideStringLiteralsDoNotCloseTheExpression() throws Exception {
        // given / when / then
        assertThat(eval("${ {'a': 1}.a }")).isEqualTo(json("1"));
        assertThat(eval("${ {'a': {'b': 2}}.a.b }")).isEqualTo(json("2"));
        assertThat(eval("${ 'a}b' }").textValue()).isEqualTo("a}b");
        assertThat(eval("${ \"x}\" + '{' }").textValue()).isEqualTo("x}{");
        assertThat(eval("${ 'it\\'s }' }").textValue()).isEqualTo("it's }");
        assertThat(eval("x${ data.tier == 'gold' ? '}' : '{' }x").textValue()).isEqualTo("x}x");
    }

    @Test
    void scriptsWithStatementsWork() throws Exception {
        // given / when / then
        assertThat(eval("${ var n = 0; for (var i : data.items) { n += i.qty * i.price }; n }")).isEqualTo(json("15.0"));
    }

    @Test
    void expressionsAnywhereInATreeAreEvaluatedButKeysAreNot() throws Exception {
        // given
        JsonNode raw = json("""
                {amount: '${ data.total }', card: {holder: 'Mr ${ data.customer.name }', vip: '${ data.customer.vip }'},
                 lines: ['${ data.items[0].sku }', 7, {sku: '${ data.items[1].sku }'}, null],
                 '${ data.id }': 'key stays', fixed: {a: [1, 'two']}}
                """);
        ValueTemplate template = expressions.template(raw);

        // when
        JsonNode value = template.evaluate(context);

        // then
        assertThat(value).isEqualTo(json("""
                {amount: 150, card: {holder: 'Mr Ann', vip: true},
                 lines: ['a-1', 7, {sku: 'b-2'}, null],
                 '${ data.id }': 'key stays', fixed: {a: [1, 'two']}}
                """));
        assertThat(template.isConstant()).isFalse();
        assertThat(template.expressions()).extracting(Expression::source).containsExactly(
                "data.total", "data.customer.name", "data.customer.vip", "data.items[0].sku", "data.items[1].sku");
    }

    @Test
    void aConstantTemplateReturnsItsRawValueWithoutWork() throws Exception {
        // given
        JsonNode raw = json("{a: 1, b: ['x', {c: 'no expressions $ { here }'}]}");

        // when
        ValueTemplate template = expressions.template(raw);

        // then
        assertThat(template.isConstant()).isTrue();
        assertThat(template.evaluate(context)).isSameAs(raw);
        assertThat(template.raw()).isSameAs(raw);
        assertThat(template.expressions()).isEmpty();
    }

    @Test
    void evaluationNeverMutatesTheTemplateNorTheContextAndResultsDoNotAliasThem() throws Exception {
        // given
        JsonNode data = ExprFixtures.anOrder();
        EvalContext ctx = anOrderContext().data(data).build();
        JsonNode dataBefore = data.deepCopy();
        JsonNode raw = json("{customer: '${ data.customer }', fixed: {k: 'v'}, items: ['${ data.items[0] }']}");
        JsonNode rawBefore = raw.deepCopy();
        ValueTemplate template = expressions.template(raw);

        // when the caller mutates what it got back
        ObjectNode first = (ObjectNode) template.evaluate(ctx);
        ((ObjectNode) first.get("customer")).put("name", "Mallory");
        ((ObjectNode) first.get("fixed")).put("k", "changed");
        ((ObjectNode) first.get("items").get(0)).put("sku", "zzz");
        JsonNode second = template.evaluate(ctx);

        // then
        assertThat(data).isEqualTo(dataBefore);
        assertThat(raw).isEqualTo(rawBefore);
        assertThat(second.get("customer").get("name").textValue()).isEqualTo("Ann");
        assertThat(second.get("fixed").get("k").textValue()).isEqualTo("v");
        assertThat(second.get("items").get(0).get("sku").textValue()).isEqualTo("a-1");
    }

    @ParameterizedTest(name = "{0} -> offset {1}")
    @CsvSource(delimiter = '|', value = {
            "abc ${ data.x                 | 4  | unclosed ${ ... }",
            "${ 'open }                    | 0  | unclosed ${ ... }",
            "ok ${ a } then ${ b + }       | 20 | syntax error near '+'",
            "${ data.total + ) }           | 14 | syntax error near '+'",
            "x ${}                         | 4  | empty expression",
            "${ new('java.io.File', 'x') } | 3  | creating objects (new) is not allowed",
            "${ `hi ${data.x}` }           | 3  | template literals (`...`) are not supported; join text with +",
    })
    void syntaxErrorsReportTheirOffsetInTheWholeString(String text, int offset, String detail) {
        // given / when / then
        assertThatThrownBy(() -> expressions.template(text.strip()))
                .isInstanceOfSatisfying(ExpressionSyntaxException.class, e -> {
                    assertThat(e.offset()).isEqualTo(offset);
                    assertThat(e.detail()).isEqualTo(detail);
                    assertThat(e.getMessage()).contains(detail).contains(text.strip());
                });
    }

    @Test
    void compileReportsOffsetsWithinTheExpressionText() {
        // given / when / then
        assertThatThrownBy(() -> expressions.compile("  data.a +\n  b )"))
                .isInstanceOfSatisfying(ExpressionSyntaxException.class, e -> {
                    assertThat(e.offset()).isEqualTo(15);
                    assertThat(e.detail()).isEqualTo("syntax error near ')'");
                });
    }

    @Test
    void templateSyntaxErrorsInATreeNameThePathOfTheString() {
        // given
        JsonNode raw = json("{a: {b: [1, 2, {c: 'fine ${ data.x }'}, {d: 'bad ${ data.x + }'}]}}");

        // when / then
        assertThatThrownBy(() -> expressions.template(raw))
                .isInstanceOfSatisfying(TemplateSyntaxException.class, e -> {
                    assertThat(e.path()).isEqualTo("a.b[3].d");
                    assertThat(e.offset()).isEqualTo(14);
                    assertThat(e.text()).isEqualTo("bad ${ data.x + }");
                    assertThat(e.getMessage()).startsWith("a.b[3].d: ");
                });
        assertThatThrownBy(() -> expressions.template(json("'${ ( }'")))
                .isInstanceOfSatisfying(TemplateSyntaxException.class, e -> assertThat(e.path()).isEmpty());
        assertThatThrownBy(() -> expressions.template(json("{'odd key': ['${']}")))
                .isInstanceOfSatisfying(TemplateSyntaxException.class,
                        e -> assertThat(e.path()).isEqualTo("[\"odd key\"][0]"));
    }

    @Test
    void interpolatedTextIsCappedAtTheLimit() throws Exception {
        // given
        Expressions small = Expressions.sandboxed(new ExpressionLimits(java.time.Duration.ofMillis(100), 64));
        ValueTemplate template = small.template("${ data.email }-${ data.email }-${ data.email }-${ data.email }-${ data.email }");

        // when / then
        assertThatThrownBy(() -> template.evaluate(context))
                .isInstanceOf(ExpressionError.class)
                .hasMessageContaining("longer than 64 characters");
    }
}
