package dev.tributary.engine.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * The connection pool of a store, its schema migrated to the newest version on open, and the two
 * ways the store talks to it outside group commit: a read, and a short transaction.
 */
final class Database implements AutoCloseable {

    /** Work on one connection; the message of a failure names {@code what}. */
    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private final HikariDataSource pool;

    private Database(HikariDataSource pool) {
        this.pool = pool;
    }

    static Database open(StoreConfig config) {
        if (config.schema() != null) {
            // the pool's connections switch to the schema as they open, so it has to exist first
            createSchema(config);
        }
        HikariDataSource pool = new HikariDataSource(hikari(config));
        try {
            var flyway = Flyway.configure().dataSource(pool).locations("classpath:db/migration")
                    // ordinal (code point) string order for keys a listing sorts on, as H2 has by default
                    .placeholders(Map.of("ordinal_collation", config.jdbcUrl().startsWith("jdbc:postgresql:") ? "COLLATE \"C\"" : ""));
            if (config.schema() != null) {
                flyway.schemas(config.schema());
            }
            flyway.load().migrate();
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
        return new Database(pool);
    }

    private static HikariConfig hikari(StoreConfig config) {
        HikariConfig hikari = new HikariConfig();
        hikari.setJdbcUrl(config.jdbcUrl());
        hikari.setUsername(config.user());
        hikari.setPassword(config.password());
        hikari.setMaximumPoolSize(config.poolSize());
        // the committer and a few readers are what a node needs most of the time; open more on demand
        hikari.setMinimumIdle(Math.min(2, config.poolSize()));
        hikari.setPoolName("tributary-store");
        hikari.setSchema(config.schema());
        return hikari;
    }

    private static void createSchema(StoreConfig config) {
        try (Connection c = DriverManager.getConnection(config.jdbcUrl(), config.user(), config.password());
             Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA IF NOT EXISTS " + config.schema()); // the name is checked by StoreConfig
        } catch (SQLException e) {
            throw new StoreException("Expected to create schema '" + config.schema() + "', but " + e.getMessage(), e);
        }
    }

    /** The pool itself, for a part that talks JDBC on its own (Quartz). */
    DataSource dataSource() {
        return pool;
    }

    Connection connection() throws SQLException {
        return pool.getConnection();
    }

    <T> T read(String what, Work<T> work) {
        try (Connection c = pool.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw new StoreException("Expected to " + what + ", but " + e.getMessage(), e);
        }
    }

    <T> T inTransaction(String what, Work<T> work) {
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreException("Expected to " + what + ", but " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        pool.close();
    }
}
