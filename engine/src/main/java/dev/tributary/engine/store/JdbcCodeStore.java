package dev.tributary.engine.store;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.SQLException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

/** {@link CodeStore} in the {@code function_code} table of the node's database. */
final class JdbcCodeStore implements CodeStore {

    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    private final Database db;
    private final Clock clock;

    JdbcCodeStore(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    @Override
    public void put(String sha256, byte[] bytes) {
        checkDigest(sha256);
        String actual = sha256(bytes);
        if (!actual.equals(sha256)) {
            throw new IllegalArgumentException("Expected code stored under sha256 " + sha256 + " to have that digest, but it has "
                    + actual);
        }
        if (exists(sha256)) {
            return;
        }
        try {
            db.inTransaction("store function code " + sha256, c -> Rows.update(c,
                    "INSERT INTO function_code (sha256, bytes, size, stored_at) VALUES (?, ?, ?, ?)", ps -> {
                        ps.setString(1, sha256);
                        ps.setBytes(2, bytes);
                        ps.setLong(3, bytes.length);
                        Columns.setInstant(ps, 4, clock.instant());
                    }));
        } catch (StoreException e) {
            // two deploys of the same code at once: the other one stored the same bytes
            if (!(e.getCause() instanceof SQLException sql && Columns.isUniqueViolation(sql))) {
                throw e;
            }
        }
    }

    @Override
    public Optional<byte[]> get(String sha256) {
        checkDigest(sha256);
        return Optional.ofNullable(db.read("read function code " + sha256, c -> Rows.first(c,
                "SELECT bytes FROM function_code WHERE sha256 = ?", ps -> ps.setString(1, sha256), rs -> rs.getBytes("bytes"))));
    }

    private boolean exists(String sha256) {
        return db.read("look up function code " + sha256, c -> Rows.first(c,
                "SELECT 1 FROM function_code WHERE sha256 = ?", ps -> ps.setString(1, sha256), rs -> Boolean.TRUE)) != null;
    }

    private static void checkDigest(String sha256) {
        if (sha256 == null || !SHA256.matcher(sha256).matches()) {
            throw new IllegalArgumentException("Expected a sha256 of 64 lowercase hex digits, but got '" + sha256 + "'");
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Expected every JVM to have SHA-256", e);
        }
    }
}
