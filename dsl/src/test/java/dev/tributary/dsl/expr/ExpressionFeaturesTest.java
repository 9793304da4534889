package dev.tributary.dsl.expr;

import static dev.tributary.dsl.expr.ExprFixtures.anOrderContext;
import static dev.tributary.dsl.expr.ExprFixtures.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ExpressionFeaturesTest {

    private final Expressions expressions = Expressions.sandboxed();
    private final EvalContext context = anOrderContext()
            .item("line", json("{sku: 'b-2', qty: 1}"), 1)
            .error(json("{type: 'Timeout', message: 'took too long', step: 'charge', attempt: 2}"))
            .build();

    private JsonNode eval(String source) throws ExpressionSyntaxException {
        return expressions.compile(source).evaluate(context);
    }

    /** Each row: expression | expected result as (lenient) JSON. */
    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiterString = " => ", quoteCharacter = '"', value = {
            // paths and indexes
            "data.customer.address.city => 'Lyon'",
            "data['customer']['name'] => 'Ann'",
            "data.items[1].sku => 'b-2'",
            "data.items[data.items.size() - 1].qty => 1",
            "data.items[9] => null",
            "data.customer.missing => null",
            "data.missing?.deeper => null",
            "data.missing.deeper ?? 'fallback' => 'fallback'",
            "input.id + '/' + event.subject => 'o-42/o-42'",
            "run.version => 3",
            "line.sku + '@' + index => 'b-2@1'",
            "error.type => 'Timeout'",
            // arithmetic
            "data.total * 2 + 1 => 301",
            "7 / 2 => 3",
            "7 % 4 => 3",
            "7.0 / 2 => 3.5",
            "data.ratio + 0.5 => 0.75",
            "data.big * 10 => 123456789010",
            "-data.total => -150",
            "data.missing + 1 => 1",
            // comparisons and logic
            "data.total > 100 && data.tier == 'gold' => true",
            "data.total >= 150 && data.total <= 150 => true",
            "data.total != 150 || data.customer.vip => true",
            "!(data.total < 10) => true",
            "data.missing > 100 => false",
            "data.note == null => true",
            "data.tier == 'gold' ? 'vip' : 'std' => 'vip'",
            "data.missing ?: 'elvis' => 'elvis'",
            "data.big > 12345678900 => true",
            "'b' > 'a' => true",
            // membership, regex, size, empty
            "'new' =~ data.tags => true",
            "'old' =~ data.tags => false",
            "'old' !~ data.tags => true",
            "2 =~ [1, 2, 3] => true",
            "data.email =~ '.*@example[.]com' => true",
            "data.email =~ ~/ann@.*/ => true",
            "'name' =~ data.customer => true",
            "data.id =^ 'o-' => true",
            "data.id =$ '42' => true",
            "size(data.tags) => 2",
            "data.tags.size() => 2",
            "data.customer.size() => 3",
            "data.customer.containsKey('vip') => true",
            "data.customer.keySet() => ['name', 'vip', 'address']",
            "data.tags.contains('priority') => true",
            "data.tags.indexOf('priority') => 1",
            "data.tags.get(0) => 'new'",
            "empty(data.note) => true",
            "empty(data.tags) => false",
            "empty('') => true",
            // strings
            "data.tier.length() => 4",
            "data.tier.toUpperCase() => 'GOLD'",
            "'  x '.trim() + '|' => 'x|'",
            "data.email.substring(0, 3) => 'ann'",
            "data.email.substring(4, 99) => 'example.com'",
            "data.email.indexOf('@') => 3",
            "data.email.contains('example') => true",
            "data.email.startsWith('ann') => true",
            "data.email.endsWith('.com') => true",
            "data.email.replace('example', 'x') => 'ann@x.com'",
            "data.tier.charAt(0) => 'g'",
            "data.tier.equalsIgnoreCase('GOLD') => true",
            "'a' + 1 + 2 => 'a12'",
            "1 + 2 + 'a' => '3a'",
            "'n=' + data.note => 'n='",
            // literals and scripts
            "[1, 'two', data.customer.vip] => [1, 'two', true]",
            "{'total': data.total, 'tags': data.tags} => {total: 150, tags: ['new', 'priority']}",
            "var x = data.total; x = x / 3; x => 50",
            "var n = 0; for (var i : data.items) { n += i.qty }; n => 3",
            "var s = ''; for (var t : data.tags) { s = s + t + ';' }; s => 'new;priority;'",
            "var i = 0; while (i < 5) { i++ }; i => 5",
            "if (data.total > 100) { 'big' } else { 'small' } => 'big'",
            "let a = 1; const b = 2; a + b => 3",
            // unknown variables are null
            "nobody => null",
            "nobody == null => true",
            "size(nobody) => 0",
    })
    void evaluates(String source, String expected) throws Exception {
        // given / when
        JsonNode value = eval(source);

        // then
        assertThat(value).isEqualTo(json(expected));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "data.total > 100            | true",
            "data.missing                | false",
            "data.note                   | false",
            "''                          | false",
            "'x'                         | true",
            "0                           | false",
            "0.0                         | false",
            "3                           | true",
            "[]                          | false",
            "data.tags                   | true",
            "{:}                         | false",
            "data.customer               | true",
            "data.total > 100 && data.customer.vip | true",
    })
    void testAppliesTruthiness(String source, boolean expected) throws Exception {
        // given / when / then
        assertThat(expressions.compile(source).test(context)).isEqualTo(expected);
    }

    @Test
    void aContextWithoutVariablesReadsEverythingAsNull() throws Exception {
        // given
        EvalContext empty = EvalContext.builder().build();

        // when / then
        assertThat(expressions.compile("data").evaluate(empty).isNull()).isTrue();
        assertThat(expressions.compile("item == null && index == null").test(empty)).isTrue();
        assertThat(expressions.compile("data?.total > 100").test(empty)).isFalse();
        assertThat(expressions.compile("error?.type").evaluate(empty).isNull()).isTrue();
        assertThatThrownBy(() -> expressions.compile("error.type").evaluate(empty))
                .isInstanceOf(ExpressionError.class)
                .hasMessage("expression 'error.type' failed: cannot read 'error.type': 'error' is null"
                        + " (use ?. for optional values)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"data.missing.deeper", "data.note.x", "nobody.x", "data.tier.nope"})
    void readingThroughNullOrANonObjectFails(String source) throws Exception {
        // given
        Expression expression = expressions.compile(source);

        // when / then
        assertThatThrownBy(() -> expression.evaluate(context))
                .isInstanceOf(ExpressionError.class)
                .hasMessageStartingWith("expression '" + source + "' failed: ");
    }

    @Test
    void divisionByZeroFails() throws Exception {
        // given
        Expression expression = expressions.compile("data.total / (data.items.size() - 2)");

        // when / then
        assertThatThrownBy(() -> expression.evaluate(context))
                .isInstanceOf(ExpressionError.class)
                .hasMessage("expression 'data.total / (data.items.size() - 2)' failed: division by zero");
    }

    @Test
    void compiledExpressionsAreCachedBySource() throws Exception {
        // given / when / then
        assertThat(expressions.compile("data.total")).isSameAs(expressions.compile("data.total"));
        assertThat(expressions.compile("data.total").source()).isEqualTo("data.total");
        assertThat(expressions.compile("  data.total ").source()).isEqualTo("data.total");
    }

    @Test
    void anExpressionReturnsContextSubTreesAsTheyAre() throws Exception {
        // given
        JsonNode data = ExprFixtures.anOrder();
        EvalContext ctx = EvalContext.builder().data(data).build();

        // when / then
        assertThat(expressions.compile("data.customer").evaluate(ctx)).isSameAs(data.get("customer"));
    }
}
