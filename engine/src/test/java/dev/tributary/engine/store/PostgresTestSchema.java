package dev.tributary.engine.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.Arrays;
import java.util.UUID;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A schema of its own on the PostgreSQL server of the machine (see shared/STACK.md) for one test
 * class: the store creates it on open, and registered as a static {@code @RegisterExtension} field
 * it is dropped after the class's last test, nested ones included.
 */
public final class PostgresTestSchema implements AfterAllCallback {

    private static final String URL = "jdbc:postgresql://127.0.0.1:5432/test";
    private static final String USER = "postgres";

    private final StoreConfig config;

    private PostgresTestSchema(StoreConfig config) {
        this.config = config;
    }

    /** A schema named {@code prefix} followed by a random suffix, so parallel builds do not meet. */
    public static PostgresTestSchema of(String prefix) {
        return new PostgresTestSchema(StoreConfig.of(URL, USER, null).withSchema(prefix + UUID.randomUUID().toString().replace("-", "")));
    }

    public StoreConfig config() {
        return config;
    }

    /** The store on this schema as it was left. */
    JdbcRunStore open() {
        return JdbcRunStore.open(config);
    }

    JdbcRunStore open(Clock clock) {
        return JdbcRunStore.open(config, clock);
    }

    /** The store on this schema with every row of {@code tables} deleted, so each test starts from empty tables. */
    JdbcRunStore openEmpty(String... tables) {
        return openEmpty(Clock.systemUTC(), tables);
    }

    JdbcRunStore openEmpty(Clock clock, String... tables) {
        JdbcRunStore store = open(clock);
        try {
            // DELETE, not TRUNCATE: TRUNCATE waits for autovacuum's lock on the tables
            execute(Arrays.stream(tables).map(table -> "DELETE FROM " + config.schema() + "." + table).toArray(String[]::new));
        } catch (SQLException e) {
            store.close();
            throw new IllegalStateException("Expected to empty the test schema " + config.schema() + ", but " + e.getMessage(), e);
        }
        return store;
    }

    @Override
    public void afterAll(ExtensionContext context) throws SQLException {
        // @Nested classes inherit the extension; the schema outlives them and goes with the outermost class
        if (context.getRequiredTestClass().isAnnotationPresent(Nested.class)) {
            return;
        }
        execute("DROP SCHEMA IF EXISTS " + config.schema() + " CASCADE");
    }

    private static void execute(String... statements) throws SQLException {
        try (Connection c = DriverManager.getConnection(URL, USER, null); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }
}
