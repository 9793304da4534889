package dev.tributary.dsl.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

    @ParameterizedTest
    @CsvSource({"PT30S,30000", "P1D,86400000", "PT1H30M,5400000", "500ms,500", "30s,30000", "5m,300000",
            "2h,7200000", "3d,259200000", "1h30m,5400000", "1m30s250ms,90250", "0s,0"})
    void parsesIsoAndShorthand(String text, long millis) {
        assertThat(Durations.parse(text)).isEqualTo(Duration.ofMillis(millis));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "5", "5 minutes", "m", "1.5h", "-5s", "PT-5S", "30s5m", "1y"})
    void rejectsAnythingElseNamingTheAcceptedForms(String text) {
        assertThatThrownBy(() -> Durations.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + text + "'");
    }

    @ParameterizedTest
    @CsvSource({"90250,1m30s250ms", "0,0s", "93600000,1d2h"})
    void formatsAsShorthandThatParsesBack(long millis, String text) {
        assertThat(Durations.format(Duration.ofMillis(millis))).isEqualTo(text);
        assertThat(Durations.parse(text)).isEqualTo(Duration.ofMillis(millis));
    }
}
