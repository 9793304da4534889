package dev.tributary.functions.code;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.dsl.expr.Expressions;
import dev.tributary.dsl.load.DefinitionLoader;
import dev.tributary.dsl.load.KnownNames;
import dev.tributary.dsl.load.LoadResult;
import dev.tributary.dsl.load.SourceText;
import dev.tributary.dsl.model.FunctionDef;
import dev.tributary.dsl.source.ParseLimits;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoredCodeTest {

    private static final DefinitionLoader LOADER = new DefinitionLoader(Expressions.sandboxed(), ParseLimits.defaults());

    @TempDir
    Path dir;

    private final Map<String, byte[]> store = new HashMap<>();
    private final AtomicInteger fetches = new AtomicInteger();

    private StoredCode code() {
        return new StoredCode(dir.resolve("code"), sha -> {
            fetches.incrementAndGet();
            return Optional.ofNullable(store.get(sha));
        });
    }

    private String stored(CodeArchive archive) {
        store.put(archive.sha256(), archive.bytes());
        return archive.sha256();
    }

    @Test
    void unpacksASingleFileOnceAndNamesItsModule() throws IOException {
        // given
        String sha = stored(CodeArchive.ofFile("handler.py", "def main(args):\n    return args\n".getBytes(StandardCharsets.UTF_8)));
        FunctionDef function = function("python", "fn/handler.py", sha);
        StoredCode code = code();

        // when
        LocatedCode first = code.locate(function);
        LocatedCode second = code.locate(function);

        // then
        assertThat(first).isEqualTo(second);
        assertThat(first.directory()).isEqualTo(dir.resolve("code").resolve(sha));
        assertThat(first.directory().resolve("handler.py")).hasContent("def main(args):\n    return args\n");
        assertThat(first.defaultModule()).isEqualTo("handler");
        assertThat(fetches).hasValue(1);
    }

    @Test
    void namesTheDefaultModuleOfADirectoryByRuntimeAndKeepsAJarWhole() throws IOException {
        // given
        Path fn = Files.createDirectories(dir.resolve("src/fn"));
        Files.writeString(fn.resolve("index.js"), "exports.main = a => a;\n");
        CodeArchive directory = CodeArchive.pack(fn);
        String sha = stored(directory);

        // when
        LocatedCode node = code().locate(function("node", "fn", sha));
        LocatedCode python = code().locate(function("python", "fn/", sha));
        LocatedCode jar = code().locate(function("java", "build/fn.jar", sha));

        // then
        assertThat(node.defaultModule()).isEqualTo("index");
        assertThat(node.directory().resolve("index.js")).exists();
        assertThat(python.defaultModule()).isEqualTo("main");
        assertThat(jar.defaultModule()).isNull();
        assertThat(jar.directory()).isEqualTo(dir.resolve("code").resolve("jar-" + sha));
        assertThat(Files.readAllBytes(jar.directory().resolve("function.jar"))).isEqualTo(directory.bytes());
    }

    @Test
    void writesInlineSourceAsInlineCodeDoes() {
        FunctionDef inline = load("function: hi\nruntime: python\nsource: \"def main(a): return a\"\n");

        LocatedCode located = code().locate(inline);

        assertThat(located).isEqualTo(new InlineCode(dir.resolve("code")).locate(inline));
        assertThat(fetches).hasValue(0);
    }

    @Test
    void saysWhatIsMissingOrDamaged() {
        // given
        String sha = CodeArchive.sha256(new byte[] {1});
        String damaged = CodeArchive.ofFile("a.py", new byte[] {2}).sha256();
        store.put(damaged, CodeArchive.ofFile("a.py", new byte[] {3}).bytes());

        // then
        assertThatThrownBy(() -> code().locate(function("python", "a.py", sha))).isInstanceOf(CodeUnavailableException.class)
                .hasMessageContaining("'up'").hasMessageContaining(sha).hasMessageContaining("not there");
        assertThatThrownBy(() -> code().locate(function("python", "a.py", damaged))).isInstanceOf(CodeUnavailableException.class)
                .hasMessageContaining("damaged");
        assertThatThrownBy(() -> code().locate(load("function: up\nruntime: python\ncode: a.py\n")))
                .isInstanceOf(CodeUnavailableException.class).hasMessageContaining("code-sha256").hasMessageContaining("trib deploy");
        assertThat(dir.resolve("code").resolve(damaged)).doesNotExist();
    }

    @Test
    void refusesAZipSlipAndLeavesNoDirectoryBehind() throws IOException {
        // given
        byte[] evil = ArchiveUnpackerTest.zip(new String[] {"main.py", "../../escaped.py"}, "ok", "pwned");
        String sha = CodeArchive.sha256(evil);
        store.put(sha, evil);

        // then
        assertThatThrownBy(() -> code().locate(function("python", "fn.zip", sha))).isInstanceOf(CodeUnavailableException.class)
                .hasMessageContaining("../../escaped.py");
        try (Stream<Path> all = Files.walk(dir)) {
            assertThat(all.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains("escaped") || n.equals(sha)
                    || n.startsWith(".partial"));
        }
    }

    @Test
    void unpacksOnceWhenManyWorkersAskAtOnce() throws IOException {
        // given
        Path fn = Files.createDirectories(dir.resolve("src/fn"));
        for (int i = 0; i < 50; i++) {
            Files.writeString(fn.resolve("m" + i + ".py"), "X = " + i + "\n");
        }
        String sha = stored(CodeArchive.pack(fn));
        StoredCode code = code();
        FunctionDef function = function("python", "fn", sha);

        // when
        List<CompletableFuture<LocatedCode>> all = new ArrayList<>();
        IntStream.range(0, 8).forEach(i -> all.add(CompletableFuture.supplyAsync(() -> code.locate(function))));

        // then
        assertThat(all.stream().map(CompletableFuture::join).distinct()).hasSize(1);
        assertThat(fetches).hasValue(1);
        try (Stream<Path> files = Files.list(dir.resolve("code").resolve(sha))) {
            assertThat(files).hasSize(50);
        }
    }

    private static FunctionDef function(String runtime, String path, String sha) {
        String handler = runtime.equals("java") ? "handler: com.example.Fn\n" : "";
        return load("function: up\nruntime: " + runtime + "\ncode: " + path + "\ncode-sha256: " + sha + "\n" + handler);
    }

    private static FunctionDef load(String yaml) {
        LoadResult result = LOADER.load(List.of(new SourceText("fn.yaml", yaml)), KnownNames.NONE);
        assertThat(result.problems()).isEmpty();
        return (FunctionDef) result.definitions().get(0);
    }
}
