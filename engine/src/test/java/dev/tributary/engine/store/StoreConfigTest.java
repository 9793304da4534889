package dev.tributary.engine.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class StoreConfigTest {

    @Test
    void h2IsAFileInTheDataDirectoryInPostgresMode() {
        // when
        StoreConfig config = StoreConfig.h2(Path.of("/var/lib/tributary"));

        // then
        assertThat(config.jdbcUrl()).startsWith("jdbc:h2:retry:/var/lib/tributary/tributary;")
                .contains(";WRITE_DELAY=0;", ";MODE=PostgreSQL", ";DB_CLOSE_ON_EXIT=FALSE");
        assertThat(config.schema()).isNull();
    }

    @Test
    void onlyH2AndPostgresUrlsAreAccepted() {
        assertThatThrownBy(() -> StoreConfig.of("jdbc:mysql://localhost/x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("H2 or PostgreSQL");
    }

    @Test
    void aSchemaNameMustBeASimpleLowerCaseIdentifier() {
        // given
        StoreConfig config = StoreConfig.of("jdbc:postgresql://127.0.0.1:5432/test");

        // when / then
        assertThat(config.withSchema("test_1").schema()).isEqualTo("test_1");
        assertThatThrownBy(() -> config.withSchema("x; DROP TABLE runs")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> config.withSchema("Mixed")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theTextOfAConfigLeavesThePasswordOut() {
        assertThat(StoreConfig.of("jdbc:postgresql://db/test", "app", "s3cret").toString()).doesNotContain("s3cret").contains("app");
    }
}
