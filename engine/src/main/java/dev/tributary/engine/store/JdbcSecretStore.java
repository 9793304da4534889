package dev.tributary.engine.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** {@link SecretStore} in the {@code secrets} table of the node's database. */
final class JdbcSecretStore implements SecretStore {

    private final Database db;

    JdbcSecretStore(Database db) {
        this.db = db;
    }

    @Override
    public void put(SealedSecret secret) {
        String what = "store secret '" + secret.name() + "'";
        try {
            db.inTransaction(what, c -> replace(c, secret));
        } catch (StoreException e) {
            // another node inserted the same name between our update and insert: ours is the later write
            if (!(e.getCause() instanceof SQLException sql && Columns.isUniqueViolation(sql))) {
                throw e;
            }
            db.inTransaction(what, c -> replace(c, secret));
        }
    }

    /** An update, or an insert when there is nothing to update (one statement that both databases read alike). */
    private static Void replace(Connection c, SealedSecret secret) throws SQLException {
        int updated = Rows.update(c, "UPDATE secrets SET ciphertext = ?, nonce = ?, updated_at = ? WHERE name = ?", ps -> {
            ps.setBytes(1, secret.ciphertext());
            ps.setBytes(2, secret.nonce());
            Columns.setInstant(ps, 3, secret.updatedAt());
            ps.setString(4, secret.name());
        });
        if (updated == 0) {
            Rows.update(c, "INSERT INTO secrets (name, ciphertext, nonce, updated_at) VALUES (?, ?, ?, ?)", ps -> {
                ps.setString(1, secret.name());
                ps.setBytes(2, secret.ciphertext());
                ps.setBytes(3, secret.nonce());
                Columns.setInstant(ps, 4, secret.updatedAt());
            });
        }
        return null;
    }

    @Override
    public Optional<SealedSecret> get(String name) {
        return Optional.ofNullable(db.read("read secret '" + name + "'", c -> Rows.first(c,
                "SELECT name, ciphertext, nonce, updated_at FROM secrets WHERE name = ?", ps -> ps.setString(1, name),
                rs -> new SealedSecret(rs.getString("name"), rs.getBytes("ciphertext"), rs.getBytes("nonce"),
                        Columns.instant(rs, "updated_at")))));
    }

    @Override
    public List<SecretInfo> list() {
        return db.read("list secrets", c -> Rows.all(c, "SELECT name, updated_at FROM secrets ORDER BY name", Rows.NONE,
                rs -> new SecretInfo(rs.getString("name"), Columns.instant(rs, "updated_at"))));
    }

    @Override
    public boolean delete(String name) {
        return db.inTransaction("delete secret '" + name + "'",
                c -> Rows.update(c, "DELETE FROM secrets WHERE name = ?", ps -> ps.setString(1, name))) > 0;
    }
}
