package dev.tributary.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Base64;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link AdminKey}: created once, owner-only, read back afterwards. */
class CliAdminKeyTest {

    @TempDir
    Path dir;

    @Test
    void createsARandomKeyOnFirstStartAndReadsItAfterwards() throws IOException {
        // given
        Path dataDir = dir.resolve("data");

        // when
        String first = AdminKey.loadOrCreate(dataDir);
        String second = AdminKey.loadOrCreate(dataDir);

        // then
        assertThat(first).isEqualTo(second).matches("[A-Za-z0-9_-]{43}");
        assertThat(Base64.getUrlDecoder().decode(first)).hasSize(32);
        assertThat(Files.readString(dataDir.resolve("admin.key")).trim()).isEqualTo(first);
        assertThat(AdminKey.find(dataDir)).hasValue(first);
        assertThat(AdminKey.loadOrCreate(dir.resolve("other"))).isNotEqualTo(first);
        try (var leftovers = Files.list(dataDir)) {
            assertThat(leftovers.map(p -> p.getFileName().toString())).containsExactly("admin.key");
        }
    }

    @Test
    void keepsTheKeyAndItsDirectoryPrivate() throws IOException {
        Path dataDir = dir.resolve("private");
        AdminKey.loadOrCreate(dataDir);

        if (dataDir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            assertThat(Files.getPosixFilePermissions(dataDir.resolve("admin.key")))
                    .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
            assertThat(Files.getPosixFilePermissions(dataDir)).isEqualTo(Set.of(PosixFilePermission.OWNER_READ,
                    PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE));
        }
    }

    @Test
    void usesAKeyAnOperatorPutThere() throws IOException {
        Files.writeString(dir.resolve("admin.key"), "  chosen-by-hand \n");

        assertThat(AdminKey.loadOrCreate(dir)).isEqualTo("chosen-by-hand");
    }

    @Test
    void findsNothingWhereNoKeyWasMade() {
        assertThat(AdminKey.find(dir.resolve("none"))).isEmpty();
    }
}
