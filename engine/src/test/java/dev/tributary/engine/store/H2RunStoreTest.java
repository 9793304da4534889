package dev.tributary.engine.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.engine.core.RunStatus;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class H2RunStoreTest extends RunStoreContract {

    @TempDir
    Path dir;

    @Override
    protected RunStore openStore() {
        return JdbcRunStore.open(StoreConfig.h2(dir));
    }

    @Override
    protected RunStore reopenStore() {
        return openStore();
    }

    @Test
    void aCommitSurvivesTheDatabaseStoppingWithoutAnOrderlyClose() throws Exception {
        // given: an acknowledged commit
        store.commit(new RunCommit(aRun("r-1", 1, RunStatus.RUNNING), 0, List.of(), List.of(), List.of())).join();
        // when: the database stops at once, as if the process died (nothing flushed on the way out)
        try (Connection c = DriverManager.getConnection(StoreConfig.h2(dir).jdbcUrl(), "sa", "")) {
            c.createStatement().execute("SHUTDOWN IMMEDIATELY");
        } catch (java.sql.SQLException expectedAsTheDatabaseGoesAway) {
            // the connection dies with it
        }
        // then
        try (RunStore reopened = JdbcRunStore.open(StoreConfig.h2(dir))) {
            assertThat(reopened.run("r-1")).isPresent();
        }
    }
}
