package dev.tributary.tests;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the real {@code tributary.jar} as a separate process, as a user's {@code ./trib} would. */
final class TribProcess {

    record Result(int exitCode, String out, String err) {
    }

    private TribProcess() {
    }

    static Path jar() {
        Path jar = Path.of(System.getProperty("tributary.jar", "../engine/target/tributary.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("Expected the runnable jar at " + jar.toAbsolutePath() + "; run `mvn -B -ntp verify` from the root");
        }
        return jar;
    }

    static Result run(Path workDir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar().toAbsolutePath().toString()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile("trib-out", ".txt");
        Path err = Files.createTempFile("trib-err", ".txt");
        Process p = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("trib " + String.join(" ", args) + " did not finish within 60 s");
        }
        Result result = new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        Files.delete(out);
        Files.delete(err);
        return result;
    }
}
