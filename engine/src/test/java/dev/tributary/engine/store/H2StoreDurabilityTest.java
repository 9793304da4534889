package dev.tributary.engine.store;

import static dev.tributary.engine.store.RunFixtures.T0;
import static dev.tributary.engine.store.RunFixtures.aCommit;
import static dev.tributary.engine.store.RunFixtures.aRun;
import static dev.tributary.engine.store.RunFixtures.aTask;
import static dev.tributary.engine.store.RunFixtures.aTimer;
import static dev.tributary.engine.store.RunFixtures.aWorkflowDocument;
import static dev.tributary.engine.store.RunFixtures.anEvent;
import static dev.tributary.engine.store.RunFixtures.event;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.dsl.model.Kind;
import dev.tributary.engine.core.HistoryEvent.Type;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every acknowledged write is in the H2 file, not only in H2's memory: right after the writes,
 * the database is shut down without writing anything pending (as a crash would), and a second
 * store on the same file finds them. With H2's default WRITE_DELAY (500 ms) instead of the 0 that
 * {@link StoreConfig#h2} sets, this test fails.
 */
class H2StoreDurabilityTest {

    @TempDir
    Path dataDir;

    @Test
    void acknowledgedWritesSurviveAnAbruptShutdown() throws Exception {
        // given
        StoreConfig config = StoreConfig.h2(dataDir);
        JdbcRunStore first = JdbcRunStore.open(config);
        first.deploy(List.of(aWorkflowDocument("orders", "{\"a\":1}"), aWorkflowDocument("refunds", "{\"a\":1}")));
        first.delete(Kind.WORKFLOW, "refunds");
        first.commit(aCommit(aRun("r-1").build()).events(event(1, Type.RunStarted))
                .starting(aTimer("r-1", "t", T0), aTask("r-1", "emit", Task.Kind.EMIT)).build()).join();
        first.deleteTask("r-1", "emit");
        first.acceptEvent(anEvent("e-1", T0)).join();
        first.acceptEvent(anEvent("e-2", T0)).join();
        first.markRouted("e-1");

        // when: closed abruptly, without the store's close()
        shutDownImmediately(config);

        // then
        try (JdbcRunStore second = JdbcRunStore.open(config)) {
            assertThat(second.definition(Kind.WORKFLOW, "orders", 0)).isPresent();
            assertThat(second.definition(Kind.WORKFLOW, "refunds", 0)).isEmpty();
            assertThat(second.run("r-1")).isPresent();
            assertThat(second.history("r-1", 0, 10)).hasSize(1);
            assertThat(second.timersDueBefore(T0.plusSeconds(1), 10)).hasSize(1);
            assertThat(second.dispatchableTasks()).isEmpty();
            assertThat(second.event("e-1")).isPresent();
            assertThat(second.unroutedEvents(10)).extracting(InboxEvent::id).containsExactly("e-2");
        } finally {
            first.close();
        }
    }

    /** Closes the database without writing what it holds in memory; the first store's connections die with it. */
    private static void shutDownImmediately(StoreConfig config) throws SQLException {
        try (Connection raw = DriverManager.getConnection(config.jdbcUrl(), config.user(), config.password());
             Statement s = raw.createStatement()) {
            s.execute("SHUTDOWN IMMEDIATELY");
        }
    }
}
