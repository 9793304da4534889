package dev.tributary.dsl.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.dsl.expr.Expressions;
import dev.tributary.dsl.source.ParseLimits;
import dev.tributary.dsl.source.Problem;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Table-driven: every file under {@code valid/} loads without a problem, and every file under
 * {@code invalid/} produces exactly the problems its {@code # expect: line:col path: message}
 * lines list (the message may be abbreviated to a prefix-free fragment), no more, no fewer.
 */
class FixturesTest {

    private static final Pattern EXPECT = Pattern.compile("# expect: (\\d+):(\\d+) (\\S*): (.+)");
    private static final DefinitionLoader LOADER = new DefinitionLoader(Expressions.sandboxed(), ParseLimits.defaults());

    static Stream<Path> valid() throws IOException, URISyntaxException {
        return fixtures("valid");
    }

    static Stream<Path> invalid() throws IOException, URISyntaxException {
        return fixtures("invalid").filter(p -> !p.toString().endsWith(".expect"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valid")
    void validFixtureLoadsWithoutProblems(Path file) throws IOException {
        // given
        SourceText text = new SourceText(file.getFileName().toString(), Files.readString(file));

        // when
        LoadResult result = LOADER.load(List.of(text), KnownNames.NONE);

        // then
        assertThat(result.problems()).as("problems in %s", file.getFileName()).isEmpty();
        assertThat(result.definitions()).isNotEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalid")
    void invalidFixtureReportsExactlyTheExpectedProblems(Path file) throws IOException {
        // given
        String name = file.getFileName().toString();
        List<Expected> expected = expectations(file);
        assertThat(expected).as("%s states what it must produce", name).isNotEmpty();

        // when
        LoadResult result = LOADER.load(List.of(new SourceText(name, Files.readString(file))), KnownNames.NONE);

        // then
        assertThat(result.definitions()).isEmpty();
        List<Problem> unmatched = new ArrayList<>(result.problems());
        for (Expected e : expected) {
            Problem match = unmatched.stream().filter(e::matches).findFirst().orElse(null);
            assertThat(match).as("%s: expected %s among %s", name, e, result.problems()).isNotNull();
            unmatched.remove(match);
        }
        assertThat(unmatched).as("%s: problems nobody expected", name).isEmpty();
    }

    private record Expected(int line, int column, String path, String message) {
        boolean matches(Problem p) {
            return p.location().line() == line && p.location().column() == column && p.path().equals(path)
                    && p.message().contains(message);
        }

        @Override
        public String toString() {
            return line + ":" + column + " " + path + ": " + message;
        }
    }

    private static List<Expected> expectations(Path file) throws IOException {
        Path sidecar = file.resolveSibling(file.getFileName() + ".expect");
        List<String> lines = Files.readAllLines(Files.exists(sidecar) ? sidecar : file);
        List<Expected> out = new ArrayList<>();
        for (String line : lines) {
            Matcher m = EXPECT.matcher(line);
            if (m.matches()) {
                out.add(new Expected(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), m.group(3), m.group(4)));
            }
        }
        return out;
    }

    static Stream<Path> fixtures(String folder) throws IOException, URISyntaxException {
        Path dir = Path.of(FixturesTest.class.getResource("/" + folder).toURI());
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile).sorted().toList().stream();
        }
    }
}
