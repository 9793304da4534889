package dev.tributary.engine.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tributary.dsl.load.SourceText;
import dev.tributary.dsl.model.FunctionDef;
import dev.tributary.dsl.model.Kind;
import dev.tributary.engine.store.RunStore;
import dev.tributary.functions.code.CodeArchive;
import dev.tributary.functions.code.LocatedCode;
import dev.tributary.functions.code.StoredCode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Deploying functions with uploaded code through a real node: stored by digest, versioned by content. */
class NodeCodeDeployTest {

    private static final String FUNCTION = """
            function: upper
            runtime: python
            code: fn/handler.py
            """;
    private static final SourceText DEFINITION = new SourceText("app.yaml", FUNCTION);

    @TempDir
    Path dataDir;
    private NodeFixture fixture;
    private Node node;

    @BeforeEach
    void startNode() {
        fixture = new NodeFixture(dataDir);
        node = fixture.start();
    }

    @AfterEach
    void closeNode() {
        fixture.close();
    }

    @Test
    void storesTheCodeAndNamesItsDigestInTheFunctionsDocument() {
        // given
        CodeArchive code = handler("def main(args):\n    return {'up': args['s'].upper()}\n");

        // when
        List<Engine.Deployed> deployed = node.deploy(List.of(DEFINITION), List.of(new CodeUpload("fn/handler.py", code.bytes())));

        // then
        assertThat(deployed).containsExactly(new Engine.Deployed("function", "upper", 1));
        JsonNode document = node.function("upper").orElseThrow().definition();
        assertThat(document.path("code-sha256").asText()).isEqualTo(code.sha256());
        assertThat(document.path("code").asText()).isEqualTo("fn/handler.py");
    }

    @Test
    void sameCodeKeepsTheVersionAndChangedCodeMakesANewOne() {
        // given
        CodeArchive first = handler("def main(args):\n    return 1\n");
        CodeArchive changed = handler("def main(args):\n    return 2\n");

        // when
        int v1 = version(node.deploy(List.of(DEFINITION), List.of(new CodeUpload("fn/handler.py", first.bytes()))));
        int again = version(node.deploy(List.of(DEFINITION), List.of(new CodeUpload("fn/handler.py", first.bytes()))));
        int v2 = version(node.deploy(List.of(DEFINITION), List.of(new CodeUpload("fn/handler.py", changed.bytes()))));

        // then
        assertThat(List.of(v1, again, v2)).containsExactly(1, 1, 2);
        assertThat(node.function("upper").orElseThrow().versions()).containsExactly(1, 2);
        assertThat(node.function("upper").orElseThrow().definition().path("code-sha256").asText()).isEqualTo(changed.sha256());
    }

    @Test
    void resolvesTheCodePathAgainstTheDefinitionFilesDirectory() {
        // given: defs/app.yaml names ../fn/handler.py, which is fn/handler.py of the deploy
        CodeArchive code = handler("def main(args):\n    return args\n");
        SourceText nested = new SourceText("defs/app.yaml", FUNCTION.replace("fn/handler.py", "../fn/./handler.py"));

        // when
        List<Engine.Deployed> deployed = node.deploy(List.of(nested), List.of(new CodeUpload("./fn/handler.py", code.bytes())));

        // then
        assertThat(deployed).extracting(Engine.Deployed::version).containsExactly(1);
    }

    @Test
    void aFunctionWithoutItsUploadIsAnInvalidDefinitionAtItsCodeField() {
        // given: the upload is there, under another path
        CodeArchive code = handler("def main(args):\n    return args\n");
        SourceText definitions = new SourceText("app.yaml", "function: inline\nruntime: expr\nexpr: ${ input }\n---\n" + FUNCTION);

        // then
        assertThatThrownBy(() -> node.deploy(List.of(definitions), List.of(new CodeUpload("fn/handlr.py", code.bytes()))))
                .isInstanceOfSatisfying(EngineException.class, e -> {
                    assertThat(e.code()).isEqualTo(EngineException.Code.INVALID_DEFINITION);
                    assertThat(e.details()).hasSize(1);
                    JsonNode detail = e.details().get(0);
                    assertThat(detail.path("file").asText()).isEqualTo("app.yaml");
                    assertThat(detail.path("line").asInt()).isEqualTo(7);
                    assertThat(detail.path("column").asInt()).isEqualTo(7);
                    assertThat(detail.path("path").asText()).isEqualTo("code");
                    assertThat(detail.path("message").asText()).contains("no code for 'fn/handler.py'").contains("trib deploy")
                            .contains("'fn/handlr.py'");
                });
        assertThat(node.functions()).isEmpty();
    }

    @Test
    void aDeployWithoutAnyCodeSaysSoAndStoresNothing() {
        assertThatThrownBy(() -> node.deploy(List.of(DEFINITION)))
                .isInstanceOfSatisfying(EngineException.class, e -> {
                    assertThat(e.code()).isEqualTo(EngineException.Code.INVALID_DEFINITION);
                    assertThat(e.getMessage()).contains("app.yaml:3:7").contains("no code for 'fn/handler.py'");
                });
        assertThat(node.functions()).isEmpty();
    }

    @Test
    void refusesUploadsThatNoFunctionNamesOrThatAreNotArchives() {
        // given
        CodeArchive code = handler("def main(args):\n    return args\n");
        byte[] notZip = "def main(args): pass".getBytes(StandardCharsets.UTF_8);

        // then
        assertThatThrownBy(() -> node.deploy(List.of(DEFINITION), List.of(new CodeUpload("fn/handler.py", code.bytes()),
                new CodeUpload("fn/extra.zip", code.bytes()))))
                .isInstanceOfSatisfying(EngineException.class, e -> {
                    assertThat(e.code()).isEqualTo(EngineException.Code.BAD_REQUEST);
                    assertThat(e.getMessage()).contains("'fn/extra.zip'");
                    assertThat(e.details()).extracting(d -> d.path("filename").asText()).containsExactly("fn/extra.zip");
                });
        assertThatThrownBy(() -> node.deploy(List.of(DEFINITION), List.of(new CodeUpload("fn/handler.py", notZip))))
                .isInstanceOfSatisfying(EngineException.class, e -> {
                    assertThat(e.code()).isEqualTo(EngineException.Code.INVALID_DEFINITION);
                    assertThat(e.getMessage()).contains("cannot be used").contains("not a zip");
                });
        assertThat(node.functions()).isEmpty();
    }

    @Test
    void aRestartedNodeLocatesTheStoredCodeByTheDigestInTheDocument() {
        // given
        CodeArchive code = handler("def main(args):\n    return 'stored'\n");
        node.deploy(List.of(DEFINITION), List.of(new CodeUpload("fn/handler.py", code.bytes())));
        fixture.close();

        // when: the definitions are read back from the store, as a starting node reads them
        try (RunStore store = fixture.store()) {
            Definitions definitions = new Definitions(store, fixture.clock);
            definitions.loadLatest();
            FunctionDef function = (FunctionDef) definitions.latest(Kind.FUNCTION, "upper").orElseThrow().definition();
            LocatedCode located = new StoredCode(dataDir.resolve("code"), store.code()::get).locate(function);

            // then
            assertThat(function.code().sha256()).isEqualTo(code.sha256());
            assertThat(located.defaultModule()).isEqualTo("handler");
            assertThat(located.directory().resolve("handler.py")).hasContent("def main(args):\n    return 'stored'\n");
        } finally {
            node = fixture.start();
        }
    }

    private static CodeArchive handler(String source) {
        return CodeArchive.ofFile("handler.py", source.getBytes(StandardCharsets.UTF_8));
    }

    private static int version(List<Engine.Deployed> deployed) {
        return deployed.get(0).version();
    }
}
