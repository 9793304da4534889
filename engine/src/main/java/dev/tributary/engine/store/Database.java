package dev.tributary.engine.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/** The connection pool of a store, with its schema migrated to the newest version on open. */
final class Database implements AutoCloseable {

    private final HikariDataSource pool;

    private Database(HikariDataSource pool) {
        this.pool = pool;
    }

    static Database open(StoreConfig config) {
        if (config.schema() != null) {
            createSchema(config);
        }
        HikariConfig hikari = new HikariConfig();
        hikari.setJdbcUrl(config.jdbcUrl());
        hikari.setUsername(config.user());
        hikari.setPassword(config.password());
        hikari.setMaximumPoolSize(config.poolSize());
        hikari.setPoolName("tributary-store");
        hikari.setAutoCommit(true);
        if (config.schema() != null) {
            hikari.setSchema(config.schema());
        }
        if (config.isPostgres()) {
            // batched INSERTs become multi-row INSERTs: the group committer's throughput depends on it
            hikari.addDataSourceProperty("reWriteBatchedInserts", "true");
        }
        HikariDataSource pool = new HikariDataSource(hikari);
        try {
            var flyway = Flyway.configure().dataSource(pool).locations("classpath:db/migration");
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

    private static void createSchema(StoreConfig config) {
        HikariConfig once = new HikariConfig();
        once.setJdbcUrl(config.jdbcUrl());
        once.setUsername(config.user());
        once.setPassword(config.password());
        once.setMaximumPoolSize(1);
        try (HikariDataSource ds = new HikariDataSource(once); Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA IF NOT EXISTS " + config.schema());
        } catch (SQLException e) {
            throw new StoreException("Expected to create schema '" + config.schema() + "', but " + e.getMessage(), e);
        }
    }

    DataSource dataSource() {
        return pool;
    }

    Connection connection() throws SQLException {
        return pool.getConnection();
    }

    @Override
    public void close() {
        pool.close();
    }
}
