package dev.tributary.functions.code;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ArchiveUnpackerTest {

    @TempDir
    Path dir;

    @Test
    void unpacksFilesAndDirectoriesAsExecutableFiles() throws IOException {
        // given
        byte[] zip = zip(new String[] {"bin/", "bin/run.sh", "main.py"}, "", "#!/bin/sh\necho hi\n", "X = 1\n");
        Path target = Files.createDirectories(dir.resolve("out"));

        // when
        ArchiveUnpacker.unpack(zip, target, ArchiveLimits.DEFAULTS);

        // then
        assertThat(target.resolve("bin/run.sh")).hasContent("#!/bin/sh\necho hi\n").isExecutable();
        assertThat(target.resolve("main.py")).hasContent("X = 1\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {"../evil.sh", "a/../../evil.sh", "/etc/evil.sh", "a\\..\\..\\evil.sh", "C:/evil.sh"})
    void refusesNamesThatWouldLandOutsideTheTarget(String name) throws IOException {
        // given: the zip-slip, absolute and Windows forms
        byte[] zip = zip(new String[] {"ok.py", name}, "fine", "pwned");
        Path target = Files.createDirectories(dir.resolve("out"));

        // then
        assertThatThrownBy(() -> ArchiveUnpacker.verify(zip, ArchiveLimits.DEFAULTS)).isInstanceOf(IOException.class)
                .hasMessageContaining(name);
        assertThatThrownBy(() -> ArchiveUnpacker.unpack(zip, target, ArchiveLimits.DEFAULTS)).isInstanceOf(IOException.class)
                .hasMessageContaining(name);
        assertThat(dir.resolve("evil.sh")).doesNotExist();
        try (Stream<Path> all = Files.walk(dir)) {
            assertThat(all.filter(p -> p.getFileName().toString().contains("evil"))).isEmpty();
        }
    }

    @Test
    void stopsAZipBombAtTheUnpackedSizeLimit() throws IOException {
        // given: 8 MiB of zeros that compress to a few KiB
        byte[] bomb = zip(new String[] {"zeros.bin"}, "\0".repeat(8 * 1024 * 1024));
        assertThat(bomb.length).isLessThan(64 * 1024);
        Path target = Files.createDirectories(dir.resolve("out"));

        // then
        assertThatThrownBy(() -> ArchiveUnpacker.unpack(bomb, target, new ArchiveLimits(10, 1024 * 1024)))
                .hasMessageContaining("at most 1048576 bytes").hasMessageContaining("zeros.bin");
        assertThat(Files.size(target.resolve("zeros.bin"))).isLessThanOrEqualTo(1024 * 1024);
    }

    @Test
    void refusesMoreEntriesThanTheLimit() throws IOException {
        byte[] zip = zip(new String[] {"a", "b", "c"}, "1", "2", "3");

        assertThatThrownBy(() -> ArchiveUnpacker.verify(zip, new ArchiveLimits(2, 1000))).hasMessageContaining("at most 2 entries");
    }

    @Test
    void refusesWhatIsNotAZip() {
        assertThatThrownBy(() -> ArchiveUnpacker.verify("text".getBytes(StandardCharsets.UTF_8), ArchiveLimits.DEFAULTS))
                .hasMessageContaining("not a zip");
        assertThatThrownBy(() -> ArchiveUnpacker.verifyJar(new byte[] {1, 2, 3})).hasMessageContaining("not a zip");
    }

    static byte[] zip(String[] names, String... contents) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (int i = 0; i < names.length; i++) {
                zip.putNextEntry(new ZipEntry(names[i]));
                if (!names[i].endsWith("/")) {
                    zip.write(contents[i].getBytes(StandardCharsets.UTF_8));
                }
                zip.closeEntry();
            }
        }
        return bytes.toByteArray();
    }
}
