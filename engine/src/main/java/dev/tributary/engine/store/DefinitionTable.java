package dev.tributary.engine.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tributary.dsl.model.Kind;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Deployed definitions and their versions. */
final class DefinitionTable {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Two nodes deploying the same name at once collide on the primary key; the loser reads again. */
    private static final int DEPLOY_ATTEMPTS = 3;

    private final Database db;

    DefinitionTable(Database db) {
        this.db = db;
    }

    List<DefinitionRecord> deploy(List<DefinitionRecord.Draft> drafts) {
        List<JsonNode> parsed = drafts.stream().map(DefinitionTable::parse).toList();
        for (int attempt = 1; ; attempt++) {
            try {
                return db.inTransaction("deploy " + drafts.size() + " definitions", c -> deploy(c, drafts, parsed));
            } catch (StoreException e) {
                if (attempt == DEPLOY_ATTEMPTS || !(e.getCause() instanceof SQLException sql && Columns.isUniqueViolation(sql))) {
                    throw e;
                }
            }
        }
    }

    private static List<DefinitionRecord> deploy(Connection c, List<DefinitionRecord.Draft> drafts, List<JsonNode> parsed)
            throws SQLException {
        List<DefinitionRecord> deployed = new ArrayList<>(drafts.size());
        for (int i = 0; i < drafts.size(); i++) {
            DefinitionRecord.Draft draft = drafts.get(i);
            DefinitionRecord newest = Rows.first(c, "SELECT * FROM definitions WHERE kind = ? AND name = ? ORDER BY version DESC",
                    ps -> {
                        ps.setString(1, draft.kind().key());
                        ps.setString(2, draft.name());
                    }, Rows::definition);
            if (newest != null && !newest.deleted() && parse(newest).equals(parsed.get(i))) {
                deployed.add(newest);
                continue;
            }
            DefinitionRecord record = new DefinitionRecord(draft.kind(), draft.name(), newest == null ? 1 : newest.version() + 1,
                    draft.document(), draft.deployedAt(), false);
            Rows.update(c, "INSERT INTO definitions (kind, name, version, document, deployed_at, deleted) VALUES (?, ?, ?, ?, ?, FALSE)",
                    ps -> {
                        ps.setString(1, record.kind().key());
                        ps.setString(2, record.name());
                        ps.setInt(3, record.version());
                        ps.setString(4, record.document());
                        Columns.setInstant(ps, 5, record.deployedAt());
                    });
            // what a later read returns, instants included
            deployed.add(new DefinitionRecord(record.kind(), record.name(), record.version(), record.document(),
                    Columns.instant(Columns.micros(record.deployedAt())), false));
        }
        return deployed;
    }

    Optional<DefinitionRecord> definition(Kind kind, String name, int version) {
        String sql = version == 0
                ? "SELECT * FROM definitions WHERE kind = ? AND name = ? AND deleted = FALSE ORDER BY version DESC"
                : "SELECT * FROM definitions WHERE kind = ? AND name = ? AND version = ?";
        return Optional.ofNullable(db.read("read " + kind.key() + " '" + name + "' version " + version, c -> Rows.first(c, sql, ps -> {
            ps.setString(1, kind.key());
            ps.setString(2, name);
            if (version != 0) {
                ps.setInt(3, version);
            }
        }, Rows::definition)));
    }

    List<DefinitionRecord> latest() {
        return db.read("read the deployed definitions", c -> Rows.all(c, "SELECT * FROM definitions d WHERE deleted = FALSE "
                + "AND version = (SELECT MAX(version) FROM definitions x WHERE x.kind = d.kind AND x.name = d.name) "
                + "ORDER BY deploy_order", Rows.NONE, Rows::definition));
    }

    List<DefinitionRecord> versions(Kind kind, String name) {
        return db.read("read the versions of " + kind.key() + " '" + name + "'", c -> Rows.all(c,
                "SELECT * FROM definitions WHERE kind = ? AND name = ? ORDER BY version", ps -> {
                    ps.setString(1, kind.key());
                    ps.setString(2, name);
                }, Rows::definition));
    }

    boolean delete(Kind kind, String name) {
        return db.inTransaction("delete " + kind.key() + " '" + name + "'", c -> Rows.update(c,
                "UPDATE definitions SET deleted = TRUE WHERE kind = ? AND name = ? AND deleted = FALSE", ps -> {
                    ps.setString(1, kind.key());
                    ps.setString(2, name);
                }) > 0);
    }

    private static JsonNode parse(DefinitionRecord.Draft draft) {
        try {
            return JSON.readTree(draft.document());
        } catch (IOException e) {
            throw new IllegalArgumentException("Expected the document of " + draft.kind().key() + " '" + draft.name()
                    + "' to be JSON, but it is not: " + e.getMessage(), e);
        }
    }

    private static JsonNode parse(DefinitionRecord stored) {
        return Columns.json(stored.document());
    }
}
