package dev.tributary.engine.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;

/** The contract against the PostgreSQL server on 127.0.0.1:5432 (database test), each test in a fresh schema. */
class PostgresRunStoreTest extends RunStoreContract {

    private static final String URL = "jdbc:postgresql://127.0.0.1:5432/test";
    private final String schema = "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

    @Override
    protected RunStore openStore() {
        return JdbcRunStore.open(StoreConfig.of(URL).withSchema(schema));
    }

    @Override
    protected RunStore reopenStore() {
        return openStore();
    }

    @AfterEach
    void dropSchema() throws Exception {
        try (Connection c = DriverManager.getConnection(URL, "postgres", null)) {
            c.createStatement().execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }
}
