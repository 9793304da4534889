package dev.tributary.functions.code;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CodeArchiveTest {

    @TempDir
    Path dir;

    @Test
    void packsTheSameDirectoryToTheSameBytesTwice() throws IOException {
        // given
        Path fn = directory("fn", Map.of("main.py", "def main(args):\n    return args\n", "lib/util.py", "X = 1\n"));

        // when
        CodeArchive first = CodeArchive.pack(fn);
        CodeArchive second = CodeArchive.pack(fn);

        // then
        assertThat(first.sha256()).matches("[0-9a-f]{64}").isEqualTo(second.sha256());
        assertThat(first.bytes()).isEqualTo(second.bytes());
        assertThat(first.kind()).isEqualTo(CodeArchive.Kind.ZIP);
        assertThat(first.sha256()).isEqualTo(CodeArchive.sha256(first.bytes()));
    }

    @Test
    void ignoresTimestampsAndTheOrderFilesWereWrittenIn() throws IOException {
        // given: the same content written in another order, then touched
        Path a = directory("a", Map.of("main.py", "A\n", "lib/util.py", "B\n"));
        Path b = dir.resolve("b");
        Files.createDirectories(b.resolve("lib"));
        Files.writeString(b.resolve("lib/util.py"), "B\n");
        Files.writeString(b.resolve("main.py"), "A\n");
        Files.setLastModifiedTime(b.resolve("main.py"), FileTime.from(Instant.parse("2030-05-06T07:08:09Z")));
        Files.setLastModifiedTime(b.resolve("lib"), FileTime.from(Instant.parse("2001-01-01T00:00:00Z")));

        // when
        String before = CodeArchive.pack(a).sha256();
        Files.setLastModifiedTime(a.resolve("main.py"), FileTime.from(Instant.parse("2029-01-01T00:00:00Z")));
        String touched = CodeArchive.pack(a).sha256();

        // then
        assertThat(touched).isEqualTo(before);
        assertThat(CodeArchive.pack(b).sha256()).isEqualTo(before);
    }

    @Test
    void changesTheDigestWhenAFileChanges() throws IOException {
        // given
        Path fn = directory("fn", Map.of("main.py", "A\n"));
        String before = CodeArchive.pack(fn).sha256();

        // when
        Files.writeString(fn.resolve("main.py"), "B\n");

        // then
        assertThat(CodeArchive.pack(fn).sha256()).isNotEqualTo(before);
    }

    @Test
    void storesEntriesSortedWithRelativeNamesAndOneFixedTime() throws IOException {
        // given
        Path fn = directory("fn", Map.of("b.py", "b", "a/z.py", "z", "a/b/c.txt", "c", ".hidden", "h"));

        // when
        List<ZipEntry> entries = entries(CodeArchive.pack(fn).bytes());

        // then
        assertThat(entries).extracting(ZipEntry::getName).containsExactly(".hidden", "a/", "a/b/", "a/b/c.txt", "a/z.py", "b.py");
        assertThat(entries).extracting(e -> e.getTimeLocal().toString()).containsOnly("1980-01-01T00:00");
    }

    @Test
    void packsASingleFileAsAZipOfThatFileUnderItsName() throws IOException {
        // given
        Path file = Files.writeString(dir.resolve("handler.py"), "def main(args):\n    return {}\n");

        // when
        CodeArchive archive = CodeArchive.pack(file);

        // then
        assertThat(entries(archive.bytes())).extracting(ZipEntry::getName).containsExactly("handler.py");
        assertThat(contents(archive.bytes())).containsEntry("handler.py", "def main(args):\n    return {}\n");
        assertThat(archive).isEqualTo(CodeArchive.ofFile("handler.py", Files.readAllBytes(file)));
    }

    @Test
    void sendsZipsAndJarsAsTheyAre() throws IOException {
        // given
        byte[] zip = CodeArchive.ofFile("index.js", "exports.main = a => a;".getBytes(StandardCharsets.UTF_8)).bytes();
        Path fnZip = Files.write(dir.resolve("fn.zip"), zip);
        Path fnJar = Files.write(dir.resolve("Fn.JAR"), zip);

        // when
        CodeArchive asZip = CodeArchive.pack(fnZip);
        CodeArchive asJar = CodeArchive.pack(fnJar);

        // then
        assertThat(asZip.bytes()).isEqualTo(zip);
        assertThat(asZip.kind()).isEqualTo(CodeArchive.Kind.ZIP);
        assertThat(asJar.kind()).isEqualTo(CodeArchive.Kind.JAR);
        assertThat(asJar.sha256()).isEqualTo(asZip.sha256());
    }

    @Test
    void refusesAZipThatIsNotOne() throws IOException {
        Path notZip = Files.writeString(dir.resolve("fn.zip"), "just text");

        assertThatThrownBy(() -> CodeArchive.pack(notZip)).isInstanceOf(IOException.class).hasMessageContaining("fn.zip")
                .hasMessageContaining("not a zip");
    }

    @Test
    void saysWhenThereIsNothingAtThePath() {
        assertThatThrownBy(() -> CodeArchive.pack(dir.resolve("missing.py"))).isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void followsSymbolicLinksThatStayInsideAndStoresTheirContent() throws IOException {
        // given
        Path fn = directory("fn", Map.of("lib/real.py", "R\n"));
        Files.createSymbolicLink(fn.resolve("alias.py"), Path.of("lib/real.py"));
        Files.createSymbolicLink(fn.resolve("shared"), Path.of("lib"));

        // when
        Map<String, String> contents = contents(CodeArchive.pack(fn).bytes());

        // then
        assertThat(contents).containsEntry("alias.py", "R\n").containsEntry("lib/real.py", "R\n").containsEntry("shared/real.py", "R\n");
    }

    @Test
    void refusesSymbolicLinksThatLeadOutsideDangleOrLoop() throws IOException {
        // given
        Path secret = Files.writeString(dir.resolve("secret.txt"), "s3cret");
        Path outside = directory("outside", Map.of("main.py", "x"));
        Files.createSymbolicLink(outside.resolve("key.txt"), secret);
        Path dangling = directory("dangling", Map.of("main.py", "x"));
        Files.createSymbolicLink(dangling.resolve("gone.py"), Path.of("nowhere.py"));
        Path loop = directory("loop", Map.of("main.py", "x"));
        Files.createSymbolicLink(loop.resolve("again"), Path.of("."));

        // then
        assertThatThrownBy(() -> CodeArchive.pack(outside)).hasMessageContaining("key.txt").hasMessageContaining("stay inside");
        assertThatThrownBy(() -> CodeArchive.pack(dangling)).hasMessageContaining("gone.py").hasMessageContaining("does not exist");
        assertThatThrownBy(() -> CodeArchive.pack(loop)).hasMessageContaining("again").hasMessageContaining("leads back");
    }

    @Test
    void refusesAnEmptyDirectoryAndTooManyFiles() throws IOException {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        Path many = directory("many", Map.of("a", "1", "b", "2", "c", "3"));

        assertThatThrownBy(() -> CodeArchive.pack(empty)).hasMessageContaining("is empty");
        assertThatThrownBy(() -> CodeArchive.pack(many, new ArchiveLimits(2, 1000))).hasMessageContaining("at most 2");
        assertThatThrownBy(() -> CodeArchive.pack(many, new ArchiveLimits(10, 2))).hasMessageContaining("at most 2 bytes");
    }

    // --- helpers

    private Path directory(String name, Map<String, String> files) throws IOException {
        Path root = dir.resolve(name);
        for (var file : files.entrySet()) {
            Path path = root.resolve(file.getKey());
            Files.createDirectories(path.getParent());
            Files.writeString(path, file.getValue());
        }
        return Files.createDirectories(root);
    }

    static List<ZipEntry> entries(byte[] zip) throws IOException {
        List<ZipEntry> out = new ArrayList<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            ZipEntry e;
            while ((e = in.getNextEntry()) != null) {
                out.add(e);
            }
        }
        return out;
    }

    static Map<String, String> contents(byte[] zip) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            ZipEntry e;
            while ((e = in.getNextEntry()) != null) {
                if (!e.isDirectory()) {
                    out.put(e.getName(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
                }
            }
        }
        return out;
    }
}
