package dev.tributary.dsl.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ModelRulesTest {

    @ParameterizedTest
    @CsvSource({"order.*,order.paid,true", "order.*,order.item.added,true", "order.*,order,false",
            "order.*,orders.paid,false", "*.failed,tributary.run.failed,true", "a.b,a.b,true", "a.b,a.c,false",
            "*,anything.at.all,true"})
    void typePatternsMatchWholeSegments(String pattern, String type, boolean matches) {
        assertThat(TypePattern.matches(pattern, type)).isEqualTo(matches);
    }

    @Test
    void defaultRetryRetriesAllButHopelessErrorsUpToThreeAttempts() {
        RetryPolicy p = RetryPolicy.DEFAULT;
        assertThat(p.retries("FunctionError", 1)).isTrue();
        assertThat(p.retries("Timeout", 2)).isTrue();
        assertThat(p.retries("Timeout", 3)).isFalse();
        assertThat(p.retries("InputInvalid", 1)).isFalse();
        assertThat(RetryPolicy.NONE.retries("FunctionError", 1)).isFalse();
    }

    @Test
    void listedErrorsAreTheOnlyOnesRetriedUnlessAnyIsListed() {
        RetryPolicy listed = new RetryPolicy(5, Duration.ofSeconds(1), 2, Duration.ofMinutes(1), false, Set.of("Timeout"));
        RetryPolicy any = new RetryPolicy(5, Duration.ofSeconds(1), 2, Duration.ofMinutes(1), false, Set.of("any"));
        assertThat(listed.retries("Timeout", 1)).isTrue();
        assertThat(listed.retries("FunctionError", 1)).isFalse();
        assertThat(any.retries("InputInvalid", 1)).isTrue();
    }

    @Test
    void backoffGrowsGeometricallyUpToTheCeiling() {
        RetryPolicy p = new RetryPolicy(10, Duration.ofSeconds(1), 2.0, Duration.ofSeconds(5), true, Set.of());
        assertThat(p.ceilingAfter(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(p.ceilingAfter(2)).isEqualTo(Duration.ofSeconds(2));
        assertThat(p.ceilingAfter(3)).isEqualTo(Duration.ofSeconds(4));
        assertThat(p.ceilingAfter(4)).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void toleranceCountsOrPercentages() {
        assertThat(Tolerance.NONE.allows(0, 10)).isTrue();
        assertThat(Tolerance.NONE.allows(1, 10)).isFalse();
        assertThat(new Tolerance(2, false).allows(2, 10)).isTrue();
        assertThat(new Tolerance(10, true).allows(20, 200)).isTrue();
        assertThat(new Tolerance(10, true).allows(21, 200)).isFalse();
    }
}
