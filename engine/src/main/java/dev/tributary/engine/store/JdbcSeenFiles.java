package dev.tributary.engine.store;

import dev.tributary.connectors.files.FileState;
import dev.tributary.connectors.files.SeenFiles;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/** {@link SeenFiles} in the {@code seen_files} table of the node's database. */
final class JdbcSeenFiles implements SeenFiles {

    private final Database db;

    JdbcSeenFiles(Database db) {
        this.db = db;
    }

    @Override
    public List<FileState> load(String trigger) {
        return db.read("load the files seen by trigger '" + trigger + "'", c -> Rows.all(c,
                "SELECT path, size, modified FROM seen_files WHERE trigger_name = ?", ps -> ps.setString(1, trigger),
                rs -> new FileState(rs.getString("path"), rs.getLong("size"), Columns.instant(rs.getLong("modified")))));
    }

    @Override
    public void record(String trigger, FileState file) {
        String what = "record file '" + file.path() + "' as seen by trigger '" + trigger + "'";
        try {
            db.inTransaction(what, c -> {
                if (update(c, trigger, file) == 0) {
                    Rows.update(c, "INSERT INTO seen_files (trigger_name, path, size, modified) VALUES (?, ?, ?, ?)", ps -> {
                        ps.setString(1, trigger);
                        ps.setString(2, file.path());
                        ps.setLong(3, file.size());
                        ps.setLong(4, file.modifiedMicros());
                    });
                }
                return null;
            });
        } catch (StoreException e) {
            // another node watching the same directory inserted the row first: ours is the newer word
            if (!(e.getCause() instanceof SQLException sql && Columns.isUniqueViolation(sql))) {
                throw e;
            }
            db.inTransaction(what, c -> update(c, trigger, file));
        }
    }

    @Override
    public void forget(String trigger, String path) {
        db.inTransaction("forget file '" + path + "' seen by trigger '" + trigger + "'", c -> Rows.update(c,
                "DELETE FROM seen_files WHERE trigger_name = ? AND path = ?", ps -> {
                    ps.setString(1, trigger);
                    ps.setString(2, path);
                }));
    }

    private static int update(Connection c, String trigger, FileState file) throws SQLException {
        return Rows.update(c, "UPDATE seen_files SET size = ?, modified = ? WHERE trigger_name = ? AND path = ?", ps -> {
            ps.setLong(1, file.size());
            ps.setLong(2, file.modifiedMicros());
            ps.setString(3, trigger);
            ps.setString(4, file.path());
        });
    }
}
