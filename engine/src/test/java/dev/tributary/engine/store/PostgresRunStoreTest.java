package dev.tributary.engine.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The contract on the PostgreSQL server of the machine (see shared/STACK.md), in a schema of its
 * own that is dropped afterwards; every test starts from empty tables.
 */
class PostgresRunStoreTest extends RunStoreContract {

    private static final String URL = "jdbc:postgresql://127.0.0.1:5432/test";
    private static final String USER = "postgres";
    private static StoreConfig config;

    @BeforeAll
    static void chooseSchema() { // the store creates it on open
        config = StoreConfig.of(URL, USER, null).withSchema("store_test_" + UUID.randomUUID().toString().replace("-", ""));
    }

    @AfterAll
    static void dropSchema() throws SQLException {
        execute("DROP SCHEMA IF EXISTS " + config.schema() + " CASCADE");
    }

    @Override
    protected RunStore openStore() {
        RunStore store = JdbcRunStore.open(config);
        try {
            // DELETE, not TRUNCATE: TRUNCATE waits for autovacuum's lock on the tables
            execute(List.of("definitions", "runs", "run_history", "tasks", "events").stream()
                    .map(table -> "DELETE FROM " + config.schema() + "." + table).toArray(String[]::new));
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

    private static void execute(String... statements) throws SQLException {
        try (Connection c = DriverManager.getConnection(URL, USER, null); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }
}
