package dev.tributary.engine.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The stream store contract on the machine's PostgreSQL, in a schema of its own that is dropped afterwards. */
class PostgresStreamStoreTest extends StreamStoreContract {

    private static final String URL = "jdbc:postgresql://127.0.0.1:5432/test";
    private static final String USER = "postgres";
    private static StoreConfig config;

    @BeforeAll
    static void chooseSchema() { // the store creates it on open
        config = StoreConfig.of(URL, USER, null).withSchema("stream_test_" + UUID.randomUUID().toString().replace("-", ""));
    }

    @AfterAll
    static void dropSchema() throws SQLException {
        execute("DROP SCHEMA IF EXISTS " + config.schema() + " CASCADE");
    }

    @Override
    protected RunStore openStore() {
        RunStore store = JdbcRunStore.open(config);
        try {
            for (String table : new String[] {"stream_records", "stream_shards", "stream_checkpoints"}) {
                execute("DELETE FROM " + config.schema() + "." + table);
            }
        } catch (SQLException e) {
            store.close();
            throw new IllegalStateException("Expected to empty the test schema " + config.schema() + ", but " + e.getMessage(), e);
        }
        return store;
    }

    @Override
    protected RunStore reopenStore() {
        return JdbcRunStore.open(config);
    }

    private static void execute(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(URL, USER, null); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
