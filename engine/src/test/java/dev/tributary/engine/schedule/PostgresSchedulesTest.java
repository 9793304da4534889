package dev.tributary.engine.schedule;

import dev.tributary.engine.store.StoreConfig;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The contract on the machine's PostgreSQL, in a schema of its own that is dropped afterwards. */
class PostgresSchedulesTest extends SchedulesContract {

    private static final String URL = "jdbc:postgresql://127.0.0.1:5432/test";
    private static final String USER = "postgres";
    private static StoreConfig config;

    @BeforeAll
    static void chooseSchema() { // the store creates it on open
        config = StoreConfig.of(URL, USER, null).withSchema("schedules_test_" + UUID.randomUUID().toString().replace("-", ""));
    }

    @AfterAll
    static void dropSchema() throws SQLException {
        try (Connection c = DriverManager.getConnection(URL, USER, null); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + config.schema() + " CASCADE");
        }
    }

    @Override
    protected StoreConfig storeConfig() {
        return config;
    }

    @Override
    protected boolean postgres() {
        return true;
    }
}
