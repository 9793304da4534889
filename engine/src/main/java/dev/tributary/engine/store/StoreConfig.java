package dev.tributary.engine.store;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where the store lives: a JDBC URL (H2 or PostgreSQL), credentials, the pool size, and for tests
 * the schema to work in.
 *
 * @param schema a schema to create (if missing) and use instead of the default one; null for the default
 */
public record StoreConfig(String jdbcUrl, String user, String password, int poolSize, String schema) {

    public StoreConfig {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        if (poolSize < 2) {
            throw new IllegalArgumentException("Expected a pool of at least 2 connections (one is the committer's), got " + poolSize);
        }
    }

    /**
     * H2 in a file under {@code dataDir}. {@code WRITE_DELAY=0}: a commit reaches the file before
     * it is acknowledged, so a kill -9 right after a 202 loses nothing (H2's default keeps commits
     * in memory for 500 ms). PostgreSQL mode lets one set of migrations serve both databases.
     */
    public static StoreConfig h2(Path dataDir) {
        String url = "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("tributary")
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE";
        return new StoreConfig(url, "sa", "", 8, null);
    }

    /**
     * A JDBC URL as given on the command line ({@code --db}); PostgreSQL's user defaults to
     * {@code postgres}, and a {@code currentSchema=} parameter names a schema that is created if missing.
     */
    public static StoreConfig of(String jdbcUrl) {
        boolean postgres = jdbcUrl.startsWith("jdbc:postgresql:");
        java.util.regex.Matcher schema = java.util.regex.Pattern.compile("[?&]currentSchema=([A-Za-z_][A-Za-z0-9_]*)").matcher(jdbcUrl);
        return new StoreConfig(jdbcUrl, postgres && !jdbcUrl.contains("user=") ? "postgres" : null, null, 8,
                postgres && schema.find() ? schema.group(1) : null);
    }

    public StoreConfig withSchema(String name) {
        return new StoreConfig(jdbcUrl, user, password, poolSize, name);
    }

    public StoreConfig withPoolSize(int size) {
        return new StoreConfig(jdbcUrl, user, password, size, schema);
    }

    boolean isPostgres() {
        return jdbcUrl.startsWith("jdbc:postgresql:");
    }
}
