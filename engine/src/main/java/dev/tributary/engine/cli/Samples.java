package dev.tributary.engine.cli;

import dev.tributary.dsl.load.SourceText;
import dev.tributary.engine.node.Engine;
import dev.tributary.engine.node.EngineException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code trib server --samples}: deploys every definition file of the samples folder as one set,
 * with the code its functions name (packed as {@code trib deploy} packs it), and says what to try.
 */
final class Samples {

    private Samples() {
    }

    static void deploy(Engine engine, Path dir, PrintWriter out) {
        if (!Files.isDirectory(dir)) {
            out.println("  samples:   none deployed: no folder " + dir.toAbsolutePath() + " (set --samples-dir)");
            return;
        }
        List<SourceText> files;
        try (Stream<Path> paths = Files.list(dir)) {
            files = paths.filter(p -> p.toString().matches(".*\\.(ya?ml|json)$")).sorted()
                    .map(Samples::read).toList();
        } catch (IOException e) {
            out.println("  samples:   none deployed: cannot list " + dir + ": " + e.getMessage());
            return;
        }
        try {
            // the files are named relative to the folder, as trib deploy would send them from inside it
            var deployed = engine.deploy(files, CodePacker.pack(files, name -> name, dir));
            out.println("  samples:   " + deployed.size() + " definitions from " + dir + " (" + String.join(", ",
                    deployed.stream().filter(d -> d.kind().equals("workflow")).map(d -> d.name() + "@" + d.version()).toList())
                    + ")");
        } catch (EngineException e) {
            out.println("  samples:   none deployed: " + e.getMessage());
            e.details().forEach(d -> out.println("             " + d));
        } catch (CodePacker.Unpackable e) {
            out.println("  samples:   none deployed: the code of some functions could not be packed");
            e.problems().forEach(line -> out.println("             " + line));
        }
    }

    /** What a newcomer types first (README, "Samples", has every sample). */
    static void tryFirst(String url, PrintWriter out) {
        out.println("  try:       curl '" + url + "/hooks/hello?name=Ada'");
        out.println("             ./trib run parallel-pi --wait");
        out.println("             ./trib run order-fulfilment --input '{\"orderId\": \"o-1\", \"total\": 120, "
                + "\"email\": \"ann@example.com\"}' --wait");
        out.println("             ./trib event send --type ifttt.signup --data '{\"email\": \"ann@example.com\", \"name\": \"Ann\"}'");
        out.println("             ./trib trigger list; ./trib rule list   (README \"Samples\": every scenario, step by step)");
    }

    private static SourceText read(Path file) {
        try {
            return new SourceText(file.getFileName().toString(), Files.readString(file));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("Expected to read sample " + file + ", but " + e.getMessage(), e);
        }
    }
}
