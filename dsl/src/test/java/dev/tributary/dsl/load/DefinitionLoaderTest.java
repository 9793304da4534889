package dev.tributary.dsl.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.dsl.expr.EvalContext;
import dev.tributary.dsl.expr.Expressions;
import dev.tributary.dsl.model.Action;
import dev.tributary.dsl.model.Definition;
import dev.tributary.dsl.model.FunctionCode;
import dev.tributary.dsl.model.FunctionDef;
import dev.tributary.dsl.model.Kind;
import dev.tributary.dsl.model.Ref;
import dev.tributary.dsl.model.ResultPath;
import dev.tributary.dsl.model.RetryPolicy;
import dev.tributary.dsl.model.RuleDef;
import dev.tributary.dsl.model.Step;
import dev.tributary.dsl.model.TriggerDef;
import dev.tributary.dsl.model.TriggerSource;
import dev.tributary.dsl.model.WorkflowDef;
import dev.tributary.dsl.source.ParseLimits;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What a valid deploy set turns into: the model the engine will run, with every default applied. */
class DefinitionLoaderTest {

    private final DefinitionLoader loader = new DefinitionLoader(Expressions.sandboxed(), ParseLimits.defaults());

    private List<Definition> load(String yaml) {
        LoadResult result = loader.load(List.of(new SourceText("set.yaml", yaml)), KnownNames.NONE);
        assertThat(result.problems()).isEmpty();
        return result.definitions();
    }

    @Test
    void stepsGetTheSpecDefaults() {
        // given
        WorkflowDef wf = (WorkflowDef) load("""
                workflow: defaults
                steps:
                  - name: charge
                    call: payments.charge@2
                  - name: quiet
                    call: table.put
                    result: false
                    retry: none
                  - name: each
                    foreach: ${ data.items }
                    steps: [ { name: one, call: table.get } ]
                ---
                function: payments.charge
                runtime: http
                url: https://payments.example.com/charge
                """).get(0);

        // then
        Step charge = wf.steps().get(0);
        assertThat(charge.action()).isEqualTo(new Action.Call(new Ref("payments.charge", 2), null));
        assertThat(charge.result()).isEqualTo(ResultPath.of("charge"));
        assertThat(charge.retry()).isEqualTo(RetryPolicy.DEFAULT);
        Step quiet = wf.steps().get(1);
        assertThat(quiet.result().discards()).isTrue();
        assertThat(quiet.retry()).isEqualTo(RetryPolicy.NONE);
        Action.Foreach each = (Action.Foreach) wf.steps().get(2).action();
        assertThat(each.as()).isEqualTo("item");
        assertThat(each.concurrency()).isEqualTo(10);
        assertThat(each.tolerate().allows(0, 5)).isTrue();
        assertThat(each.tolerate().allows(1, 5)).isFalse();
    }

    @Test
    void everyFieldOfACallStepIsRead() throws Exception {
        // given
        WorkflowDef wf = (WorkflowDef) load("""
                workflow: full
                timeout: 1h
                steps:
                  - name: charge
                    if: ${ data.total > 0 }
                    call: table.put
                    with: { amount: "${ data.total }" }
                    result: order.receipt
                    timeout: 30s
                    retry: { max-attempts: 5, delay: 2s, backoff: 3, max-delay: 1m, jitter: false, errors: [Timeout] }
                    catch:
                      - errors: [CardDeclined, Timeout]
                        result: failure
                        next: declined
                  - name: declined
                    fail: { error: PaymentDeclined, message: "order ${ data.id } declined" }
                """).get(0);

        // then
        Step s = wf.steps().get(0);
        assertThat(wf.timeout()).isEqualTo(Duration.ofHours(1));
        assertThat(s.result().segments()).containsExactly("order", "receipt");
        assertThat(s.timeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(s.retry()).isEqualTo(new RetryPolicy(5, Duration.ofSeconds(2), 3.0, Duration.ofMinutes(1), false, Set.of("Timeout")));
        assertThat(s.catchers()).singleElement().satisfies(c -> {
            assertThat(c.matches("CardDeclined")).isTrue();
            assertThat(c.matches("FunctionError")).isFalse();
            assertThat(c.next()).isEqualTo("declined");
            assertThat(c.result()).isEqualTo(ResultPath.of("failure"));
        });
        EvalContext ctx = EvalContext.builder().data(new ObjectMapper().readTree("{\"total\": 12, \"id\": \"o-1\"}")).build();
        assertThat(s.condition().test(ctx)).isTrue();
        assertThat(((Action.Call) s.action()).with().evaluate(ctx).toString()).isEqualTo("{\"amount\":12}");
        Action.Fail fail = (Action.Fail) wf.steps().get(1).action();
        assertThat(fail.message().evaluate(ctx).asText()).isEqualTo("order o-1 declined");
    }

    @Test
    void waitsComeInThreeForms() {
        // given
        WorkflowDef wf = (WorkflowDef) load("""
                workflow: waits
                steps:
                  - name: pause
                    wait: 1h30m
                  - name: until
                    wait: { until: "2026-12-31T23:00:00Z" }
                  - name: review
                    wait: { event: review.decided, key: "${ data.orderId }", timeout: 2d }
                """).get(0);

        // then
        assertThat(wf.steps().get(0).action()).isEqualTo(new Action.Delay(Duration.ofMinutes(90)));
        assertThat(wf.steps().get(1).action()).isInstanceOf(Action.Until.class);
        Action.AwaitEvent review = (Action.AwaitEvent) wf.steps().get(2).action();
        assertThat(review.type()).isEqualTo("review.decided");
        assertThat(review.timeout()).isEqualTo(Duration.ofDays(2));
        assertThat(review.result()).isEqualTo(ResultPath.of("review"));
    }

    @Test
    void functionsTriggersAndRulesGetTheirDefaults() {
        // given
        List<Definition> defs = load("""
                function: greet
                runtime: python
                source: "def main(args):\\n    return args\\n"
                ---
                trigger: nightly
                cron: "0 0 2 L * ?"
                timezone: Europe/Berlin
                ---
                trigger: hook
                http: { path: orders }
                ---
                rule: greet-nightly
                trigger: nightly
                workflow: report
                ---
                workflow: report
                steps: [ { name: hi, call: greet } ]
                """);

        // then
        FunctionDef greet = (FunctionDef) defs.get(0);
        assertThat(greet.handler()).isEqualTo("main");
        assertThat(greet.limits().memoryMb()).isEqualTo(128);
        assertThat(greet.limits().timeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(greet.limits().concurrency()).isEqualTo(16);
        assertThat(greet.code().isInline()).isTrue();
        TriggerSource.Cron cron = (TriggerSource.Cron) ((TriggerDef) defs.get(1)).source();
        assertThat(cron.zone()).isEqualTo(ZoneId.of("Europe/Berlin"));
        assertThat(cron.misfire()).isEqualTo(TriggerSource.Misfire.RUN_ONCE);
        TriggerSource.Http http = (TriggerSource.Http) ((TriggerDef) defs.get(2)).source();
        assertThat(http.methods()).containsExactly("POST");
        assertThat(http.auth()).isEqualTo(TriggerSource.HttpAuth.KEY);
        assertThat(http.respond()).isFalse();
        RuleDef rule = (RuleDef) defs.get(3);
        assertThat(rule.target()).isEqualTo(new RuleDef.Target(Kind.WORKFLOW, Ref.latest("report")));
        assertThat(rule.enabled()).isTrue();
    }

    @Test
    void readsTheDigestTheServerAddsToUploadedCode() {
        // given
        String digest = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

        // when
        List<Definition> defs = load("function: up\nruntime: python\ncode: fn/handler.py\ncode-sha256: " + digest
                + "\n---\nfunction: down\nruntime: node\ncode: fn/\n");

        // then
        assertThat(((FunctionDef) defs.get(0)).code()).isEqualTo(FunctionCode.path("fn/handler.py", digest));
        assertThat(((FunctionDef) defs.get(1)).code()).isEqualTo(FunctionCode.path("fn/"));
    }

    @Test
    void referencesResolveAgainstWhatIsAlreadyDeployed() {
        // given
        String rule = "rule: r\ntrigger: t\ncall: f\n";

        // when
        LoadResult offline = loader.load(List.of(new SourceText("r.yaml", rule)), KnownNames.NONE);
        LoadResult online = loader.load(List.of(new SourceText("r.yaml", rule)),
                (kind, name) -> (kind == Kind.TRIGGER && name.equals("t")) || (kind == Kind.FUNCTION && name.equals("f")));

        // then
        assertThat(offline.problems()).extracting(p -> p.message())
                .containsExactly("unknown trigger 't': not in this deploy set and not deployed",
                        "unknown function 'f': not in this deploy set and not deployed");
        assertThat(online.ok()).isTrue();
    }

    @Test
    void aSetIsAllOrNothing() {
        // when: one good document and one bad
        LoadResult result = loader.load(List.of(new SourceText("s.yaml",
                "function: ok\nruntime: expr\nexpr: ${ input }\n---\nfunction: bad\nruntime: cobol\n")), KnownNames.NONE);

        // then
        assertThat(result.definitions()).isEmpty();
        assertThat(result.problems()).singleElement().hasToString(
                "s.yaml:6:10: runtime: 'runtime' must be one of python, node, java, process, http, expr, got 'cobol'");
    }
}
