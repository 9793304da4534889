package dev.tributary.dsl.source;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class DefinitionParserTest {

    private final DefinitionParser parser = new DefinitionParser(ParseLimits.defaults());

    @Test
    void yamlScalarsFollowTheYaml12CoreSchemaNotYaml11() {
        // given
        String yaml = """
                on: [push]
                answer: yes
                off: no
                octal: 010
                hex: 0x1F
                float: 1.5
                big: 12345678901234
                nothing: ~
                quoted: "true"
                flag: true
                time: 12:30
                """;

        // when
        JsonNode tree = parser.parse("a.yaml", yaml).documents().get(0).tree();

        // then
        assertThat(tree.has("on")).isTrue();
        assertThat(tree.get("answer").isTextual()).isTrue();
        assertThat(tree.has("off")).isTrue();
        assertThat(tree.get("octal").asInt()).isEqualTo(10);
        assertThat(tree.get("hex").asInt()).isEqualTo(31);
        assertThat(tree.get("float").asDouble()).isEqualTo(1.5);
        assertThat(tree.get("big").asLong()).isEqualTo(12345678901234L);
        assertThat(tree.get("nothing").isNull()).isTrue();
        assertThat(tree.get("quoted").isTextual()).isTrue();
        assertThat(tree.get("flag").isBoolean()).isTrue();
        assertThat(tree.get("time").asText()).isEqualTo("12:30");
    }

    @Test
    void everyValueAndKeyKeepsItsLineAndColumn() {
        // given
        String yaml = """
                workflow: w
                steps:
                  - name: a
                    with: { amount: "${ data.total }" }
                """;

        // when
        SourceDocument doc = parser.parse("w.yaml", yaml).documents().get(0);

        // then
        assertThat(doc.map().valueAt("steps[0].name")).isEqualTo(new SourceLocation("w.yaml", 3, 11));
        assertThat(doc.map().keyAt("steps[0].with")).isEqualTo(new SourceLocation("w.yaml", 4, 5));
        // a quoted value's place is where its text starts, past the quote, so offsets into it line up
        assertThat(doc.map().valueAt("steps[0].with.amount")).isEqualTo(new SourceLocation("w.yaml", 4, 22));
        assertThat(doc.map().valueAt("steps[0].nope.deeper")).isEqualTo(new SourceLocation("w.yaml", 3, 5));
    }

    @Test
    void multipleYamlDocumentsAndJsonArraysAreSeparateDocuments() {
        // when
        ParsedFile yaml = parser.parse("s.yaml", "function: a\nruntime: expr\n---\n---\nrule: r\n");
        ParsedFile json = parser.parse("s.json", "[{\"function\": \"a\"},\n {\"rule\": \"r\"}]");

        // then
        assertThat(yaml.documents()).hasSize(2);
        assertThat(yaml.documents().get(1).map().valueAt("rule")).isEqualTo(new SourceLocation("s.yaml", 5, 7));
        assertThat(json.documents()).extracting(d -> d.tree().fieldNames().next()).containsExactly("function", "rule");
        assertThat(json.documents().get(1).map().valueAt("rule")).isEqualTo(new SourceLocation("s.json", 2, 12));
    }

    @Test
    void mergeKeysCopyAnAnchoredObjectWithoutOverridingOwnFields() {
        // given
        String yaml = """
                defaults: &d { memory: 256, timeout: 30s }
                function: f
                <<: *d
                memory: 512
                """;

        // when
        JsonNode tree = parser.parse("m.yaml", yaml).documents().get(0).tree();

        // then
        assertThat(tree.get("memory").asInt()).isEqualTo(512);
        assertThat(tree.get("timeout").asText()).isEqualTo("30s");
        assertThat(tree.has("<<")).isFalse();
    }

    @Test
    void aFileOverTheSizeLimitIsRejectedNamingTheLimit() {
        // given
        DefinitionParser small = new DefinitionParser(new ParseLimits(100, 64, 50, 1000));

        // when
        ParsedFile parsed = small.parse("big.yaml", "description: " + "x".repeat(200));

        // then
        assertThat(parsed.documents()).isEmpty();
        assertThat(parsed.problems()).singleElement().hasToString(
                "big.yaml:1:1: the file is 213 bytes, over the limit 'definition size' of 100 bytes");
    }

    @Test
    void aliasesThatExpandPastTheValueLimitAreRejected() {
        // given: 40 aliases, under the alias limit, that expand to over 10^5 values
        DefinitionParser parser = new DefinitionParser(new ParseLimits(1 << 20, 64, 50, 100_000));
        StringBuilder yaml = new StringBuilder("l0: &l0 [x, x, x, x, x, x, x, x, x, x]\n");
        for (int i = 1; i <= 4; i++) {
            yaml.append("l").append(i).append(": &l").append(i).append(" [").append(("*l" + (i - 1) + ", ").repeat(9))
                    .append("*l").append(i - 1).append("]\n");
        }

        // when
        ParsedFile parsed = parser.parse("laughs.yaml", yaml.toString());

        // then
        assertThat(parsed.documents()).isEmpty();
        assertThat(parsed.problems()).singleElement().extracting(Problem::message).asString()
                .contains("limit 'document values'");
    }

    @Test
    void recursiveAliasesAreRejected() {
        // when
        ParsedFile parsed = parser.parse("loop.yaml", "a: &a [1, *a]\n");

        // then
        assertThat(parsed.problems()).singleElement().extracting(Problem::message).asString().contains("recursive");
    }

    @Test
    void jsonDeeperThanTheLimitIsRejectedNamingTheLimit() {
        // when
        ParsedFile parsed = parser.parse("deep.json", "[".repeat(70) + "]".repeat(70));

        // then
        assertThat(parsed.problems()).singleElement().extracting(Problem::message).asString()
                .isEqualTo("nesting deeper than 64 levels (limit 'nesting depth')");
    }

    @Test
    void duplicateJsonKeysAreAnError() {
        // when
        ParsedFile parsed = parser.parse("d.json", "{\"a\": 1,\n \"a\": 2}");

        // then
        assertThat(parsed.problems()).singleElement().satisfies(p -> {
            assertThat(p.location().line()).isEqualTo(2);
            assertThat(p.message()).contains("Duplicate field 'a'");
        });
    }
}
