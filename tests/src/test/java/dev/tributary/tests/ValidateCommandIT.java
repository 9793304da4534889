package dev.tributary.tests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code trib validate} end to end: the real jar, real files, exit codes and output a user sees. */
class ValidateCommandIT {

    @TempDir
    Path dir;

    @Test
    void aValidSetSpreadOverTwoFilesPassesWithASummary() throws Exception {
        // given: the workflow calls a function defined in the other file
        Files.writeString(dir.resolve("fn.yaml"), """
                function: double
                runtime: expr
                expr: ${ input.x * 2 }
                """);
        Files.writeString(dir.resolve("flow.yaml"), """
                workflow: doubler
                steps:
                  - name: twice
                    call: double
                    with: { x: "${ data.x }" }
                """);

        // when
        TribProcess.Result result = TribProcess.run(dir, "validate", "fn.yaml", "flow.yaml");

        // then
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out().trim()).isEqualTo("OK: 2 files, 1 function, 1 workflow");
    }

    @Test
    void problemsArePrintedAsFileLineColumnPathMessageWithExitCode1() throws Exception {
        // given
        Files.writeString(dir.resolve("order.yaml"), """
                workflow: order
                steps:
                  - name: route
                    switch:
                      - when: ${ data.total > 1000 }
                        next: reveiw
                  - name: review
                    wait: 2 days
                    timout: 1h
                """);

        // when
        TribProcess.Result result = TribProcess.run(dir, "validate", "order.yaml");

        // then
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.out().lines()).containsExactly(
                "order.yaml:6:15: steps[0].switch[0].next: unknown step 'reveiw' (did you mean 'review'?)",
                "order.yaml:8:11: steps[1].wait: '2 days' is not a duration; use ISO-8601 (PT30S, P1D, PT1H30M) or shorthand (500ms, 30s, 5m, 2h, 3d, 1h30m)",
                "order.yaml:9:5: steps[1].timout: unknown field 'timout' in step 'review' (did you mean 'timeout'?)",
                "3 problems in 1 file");
    }

    @Test
    void jsonOutputListsEachProblemWithItsPlace() throws Exception {
        // given
        Files.writeString(dir.resolve("t.yaml"), "trigger: nightly\ncron: \"0 0 25 * * ?\"\n");

        // when
        TribProcess.Result result = TribProcess.run(dir, "validate", "-o", "json", "t.yaml");

        // then
        assertThat(result.exitCode()).isEqualTo(1);
        JsonNode json = new ObjectMapper().readTree(result.out());
        assertThat(json.get("ok").asBoolean()).isFalse();
        JsonNode problem = json.get("problems").get(0);
        assertThat(problem.get("file").asText()).isEqualTo("t.yaml");
        assertThat(problem.get("line").asInt()).isEqualTo(2);
        assertThat(problem.get("column").asInt()).isEqualTo(8); // the first character of the quoted text
        assertThat(problem.get("path").asText()).isEqualTo("cron");
        assertThat(problem.get("message").asText()).startsWith("bad cron '0 0 25 * * ?'");
    }

    @Test
    void aMissingFileIsAOneLineReasonWithExitCode2() throws Exception {
        // when
        TribProcess.Result result = TribProcess.run(dir, "validate", "nope.yaml");

        // then
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err().trim()).isEqualTo("trib: cannot read nope.yaml: no such file");
    }

    @Test
    void versionAndHelpDescribeTheCommandLine() throws Exception {
        // when
        TribProcess.Result version = TribProcess.run(dir, "--version");
        TribProcess.Result help = TribProcess.run(dir, "--help");

        // then
        assertThat(version.exitCode()).isZero();
        assertThat(version.out().trim()).matches("trib \\d+\\.\\d+\\.\\d+.*");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("validate").contains("Usage: trib");
    }
}
