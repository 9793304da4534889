package dev.tributary.engine.store;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.Objects;

/**
 * Where a store lives: a JDBC URL (H2 or PostgreSQL), optional credentials, the pool size and,
 * optionally, a schema to work in instead of the default one (tests isolate themselves this way).
 *
 * @param schema a lower-case schema name, created if missing; null for the database's default
 */
public record StoreConfig(String jdbcUrl, String user, String password, int poolSize, String schema) {

    public static final int DEFAULT_POOL_SIZE = 8;
    private static final Pattern SCHEMA_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    public StoreConfig {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        if (!jdbcUrl.startsWith("jdbc:h2:") && !jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("Expected an H2 or PostgreSQL JDBC URL, but got '" + jdbcUrl + "'");
        }
        if (poolSize < 1) {
            throw new IllegalArgumentException("Expected a pool of at least 1 connection, but got " + poolSize);
        }
        if (schema != null && !SCHEMA_NAME.matcher(schema).matches()) {
            throw new IllegalArgumentException("Expected a schema name of lower-case letters, digits and '_', but got '" + schema + "'");
        }
    }

    /**
     * H2 in the file {@code <dataDir>/tributary.mv.db}.
     * <ul>
     * <li>{@code WRITE_DELAY=0}: every commit is written to the file before it is acknowledged;
     * H2's default keeps commits in memory for up to 500 ms, so a kill -9 right after an
     * acknowledgement could lose them. (Written, not fsynced: a power cut can still lose the
     * newest commits.) The price is one H2 chunk per transaction, which group commit shares.</li>
     * <li>{@code DB_CLOSE_ON_EXIT=FALSE}: H2's own shutdown hook must not close the database
     * under the committer while {@link JdbcRunStore#close()} is still draining it.</li>
     * <li>{@code retry:} H2's file system that reopens the file when a thread doing I/O was
     * interrupted; plain {@code file:} closes the whole database then (Quartz interrupts its own
     * threads when it shuts down, which killed the store mid-query).</li>
     * <li>{@code MODE=PostgreSQL} with lower-case identifiers and NULLs sorted last: one set of
     * migrations and statements serves both databases.</li>
     * </ul>
     */
    public static StoreConfig h2(Path dataDir) {
        String url = "jdbc:h2:retry:" + dataDir.toAbsolutePath().resolve("tributary")
                + ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";
        return new StoreConfig(url, "sa", "", DEFAULT_POOL_SIZE, null);
    }

    /**
     * A JDBC URL as given on the command line ({@code --db}); credentials may be in it
     * ({@code ?user=...}), else PostgreSQL's user is {@code postgres}. A {@code currentSchema=}
     * parameter names a schema that is created if missing and used.
     */
    public static StoreConfig of(String jdbcUrl) {
        boolean postgres = jdbcUrl.startsWith("jdbc:postgresql:");
        Matcher schema = CURRENT_SCHEMA.matcher(jdbcUrl);
        return new StoreConfig(jdbcUrl, postgres && !jdbcUrl.contains("user=") ? "postgres" : null, null, DEFAULT_POOL_SIZE,
                postgres && schema.find() ? schema.group(1) : null);
    }

    private static final Pattern CURRENT_SCHEMA = Pattern.compile("[?&]currentSchema=([A-Za-z_][A-Za-z0-9_]*)");

    public static StoreConfig of(String jdbcUrl, String user, String password) {
        return new StoreConfig(jdbcUrl, user, password, DEFAULT_POOL_SIZE, null);
    }

    public StoreConfig withSchema(String name) {
        return new StoreConfig(jdbcUrl, user, password, poolSize, name);
    }

    public StoreConfig withPoolSize(int size) {
        return new StoreConfig(jdbcUrl, user, password, size, schema);
    }

    @Override
    public String toString() {
        return "StoreConfig[" + jdbcUrl + (user == null ? "" : ", user " + user) + ", pool " + poolSize
                + (schema == null ? "" : ", schema " + schema) + "]";
    }
}
