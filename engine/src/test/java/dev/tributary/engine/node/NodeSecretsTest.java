package dev.tributary.engine.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.engine.store.JdbcRunStore;
import dev.tributary.engine.store.SealedSecret;
import dev.tributary.engine.store.SecretInfo;
import dev.tributary.engine.store.StoreConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Secrets sealed at rest under the key file, opened for {@code secret()}, cached briefly. */
class NodeSecretsTest {

    private static final String VALUE = "ghp_plaintext-token-0123456789";

    @TempDir
    Path dataDir;
    private final SettableClock clock = new SettableClock(Instant.parse("2026-03-01T09:00:00Z"));
    private JdbcRunStore store;

    @BeforeEach
    void open() {
        store = JdbcRunStore.open(StoreConfig.h2(dataDir), clock);
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void theDatabaseHoldsNoValueInClearAndTheValueComesBack() throws Exception {
        // given
        NodeSecrets secrets = open(dataDir);

        // when
        secrets.put("gh-token", VALUE);

        // then the raw row holds a 12-byte nonce and the ciphertext with its 16-byte tag, never the value
        List<byte[]> row = rawRow("gh-token");
        byte[] ciphertext = row.get(0);
        assertThat(row.get(1)).hasSize(12);
        assertThat(ciphertext).hasSize(VALUE.length() + 16);
        assertThat(new String(ciphertext, StandardCharsets.ISO_8859_1)).doesNotContain(VALUE).doesNotContain("plaintext");
        assertThat(secrets.resolve("gh-token")).contains(VALUE);
        assertThat(secrets.list()).containsExactly(new SecretInfo("gh-token", clock.instant()));

        // and writing the same value again seals it with a fresh nonce
        secrets.put("gh-token", VALUE);
        assertThat(rawRow("gh-token").get(1)).isNotEqualTo(row.get(1));
        assertThat(rawRow("gh-token").get(0)).isNotEqualTo(ciphertext);
    }

    @Test
    void theKeyFileIsMadeOnceOwnerOnlyAndReadAfterARestart() throws IOException {
        // given
        open(dataDir).put("tok", VALUE);
        Path keyFile = dataDir.resolve(SecretKeyFile.NAME);
        byte[] key = Files.readAllBytes(keyFile);

        // when the node starts again
        NodeSecrets again = open(dataDir);

        // then
        assertThat(key).hasSize(32);
        assertThat(Files.getPosixFilePermissions(keyFile)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.readAllBytes(keyFile)).isEqualTo(key);
        assertThat(again.resolve("tok")).contains(VALUE);
    }

    @Test
    void aNodeWithAnotherKeyRefusesToStartNamingTheKeyFile() throws IOException {
        // given secrets stored under one key, and a node whose key file is another
        open(dataDir).put("tok", VALUE);
        Path keyFile = dataDir.resolve(SecretKeyFile.NAME);
        byte[] other = Files.readAllBytes(keyFile);
        other[0] ^= 1;
        Files.write(keyFile, other);

        // when / then
        assertThatThrownBy(() -> open(dataDir)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Expected to open secret 'tok' with the key in " + keyFile.toAbsolutePath())
                .hasMessageContaining("sealed with another key")
                .hasMessageNotContaining(VALUE);
    }

    @Test
    void aKeyFileOfTheWrongSizeIsAClearError() throws IOException {
        // given
        Path keyFile = Files.write(dataDir.resolve(SecretKeyFile.NAME), new byte[] {1, 2, 3});

        // when / then
        assertThatThrownBy(() -> open(dataDir)).isInstanceOf(IllegalStateException.class)
                .hasMessage("Expected the secrets key file " + keyFile.toAbsolutePath() + " to hold 32 bytes, but it holds 3;"
                        + " restore the file the secrets were stored with (every node needs the same one)");
    }

    @Test
    void aSealedValueMovedToAnotherNameDoesNotOpen() {
        // given
        NodeSecrets secrets = open(dataDir);
        secrets.put("a", VALUE);
        SealedSecret sealed = store.secrets().get("a").orElseThrow();

        // when someone with database access copies it under another name
        store.secrets().put(new SealedSecret("b", sealed.ciphertext(), sealed.nonce(), sealed.updatedAt()));

        // then
        assertThatThrownBy(() -> secrets.resolve("b")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Expected to open secret 'b'");
    }

    @Test
    void aChangeOnThisNodeShowsAtOnceAndOneOnAnotherNodeWithinTheTtl() {
        // given two nodes on the same database and key
        NodeSecrets here = open(dataDir);
        NodeSecrets there = open(dataDir);
        here.put("tok", "v1");
        assertThat(here.resolve("tok")).contains("v1");
        assertThat(there.resolve("missing")).isEmpty();

        // when the other node changes it
        there.put("tok", "v2");
        there.put("missing", "now here");

        // then this node keeps what it read until the TTL has passed
        assertThat(here.resolve("tok")).contains("v1");
        clock.tick(NodeSecrets.TTL);
        assertThat(here.resolve("tok")).contains("v2");
        assertThat(there.resolve("missing")).contains("now here"); // its own write showed at once

        // and a delete here shows here at once
        here.delete("tok");
        assertThat(here.resolve("tok")).isEmpty();
    }

    @Test
    void refusesBadNamesAndValuesWithoutRepeatingTheValue() {
        NodeSecrets secrets = open(dataDir);
        String big = "x".repeat(64 * 1024 + 1);

        assertThatThrownBy(() -> secrets.put("-starts-badly", VALUE)).isInstanceOf(EngineException.class)
                .hasMessage("Expected a secret name of 1 to 128 letters, digits, '_', '.' or '-' starting with a letter or digit,"
                        + " but got '-starts-badly'");
        assertThatThrownBy(() -> secrets.put("has space", VALUE)).isInstanceOf(EngineException.class);
        assertThatThrownBy(() -> secrets.put("n".repeat(129), VALUE)).isInstanceOf(EngineException.class);
        assertThatThrownBy(() -> secrets.put("tok", "")).isInstanceOf(EngineException.class)
                .hasMessage("Expected a value for secret 'tok', but it is empty");
        assertThatThrownBy(() -> secrets.put("tok", big)).isInstanceOf(EngineException.class)
                .hasMessage("Expected the value of secret 'tok' to be at most 65536 bytes (UTF-8), but it is 65537 bytes");
        assertThat(secrets.list()).isEmpty();
        secrets.put("n".repeat(128), "x".repeat(64 * 1024));
        assertThat(secrets.resolve("n".repeat(128))).hasValueSatisfying(v -> assertThat(v).hasSize(64 * 1024));
        assertThat(secrets.resolve("has space")).isEqualTo(Optional.empty());
    }

    private NodeSecrets open(Path dir) {
        return NodeSecrets.open(NodeConfig.defaults(dir).withClock(clock), store.secrets());
    }

    /** {@code [ciphertext, nonce]} as the database holds them. */
    private List<byte[]> rawRow(String name) throws SQLException {
        try (Connection c = DriverManager.getConnection(StoreConfig.h2(dataDir).jdbcUrl(), "sa", "");
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT ciphertext, nonce FROM secrets WHERE name = '" + name + "'")) {
            assertThat(rs.next()).isTrue();
            List<byte[]> row = new ArrayList<>();
            row.add(rs.getBytes(1));
            row.add(rs.getBytes(2));
            return row;
        }
    }
}
