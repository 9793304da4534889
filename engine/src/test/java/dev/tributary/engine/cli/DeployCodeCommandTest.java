package dev.tributary.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tributary.engine.api.NodeServer;
import dev.tributary.engine.node.FunctionInfo;
import dev.tributary.functions.code.CodeArchive;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code trib deploy} with function code, through the real HTTP API into a real node. */
class DeployCodeCommandTest {

    private static final String DEFINITIONS = """
            function: greet
            runtime: python
            handler: main.main
            code: ../fn
            ---
            function: thumbs
            runtime: node
            code: ../build/thumbs.zip
            """;

    @TempDir
    Path dir;

    private NodeServer server;
    private Path definitions;
    private Path zip;

    @BeforeEach
    void start() throws IOException {
        server = NodeServer.start(dir);
        // given, for every test: defs/app.yaml names a directory and a zip beside defs/
        definitions = write("defs/app.yaml", DEFINITIONS);
        write("fn/main.py", "def main(args):\n    return {'hi': args.get('name')}\n");
        write("fn/lib/util.py", "X = 1\n");
        zip = Files.createDirectories(dir.resolve("build")).resolve("thumbs.zip");
        Files.write(zip, CodeArchive.ofFile("index.js", "exports.main = a => a;\n".getBytes(StandardCharsets.UTF_8)).bytes());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void uploadsADirectoryAndAZipWithTheDefinitions() throws IOException {
        // when
        CliRun run = deploy(definitions);

        // then
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("function  greet   1").contains("function  thumbs  1");
        assertThat(digest("greet")).isEqualTo(CodeArchive.pack(dir.resolve("fn")).sha256());
        assertThat(digest("thumbs")).isEqualTo(CodeArchive.sha256(Files.readAllBytes(zip)));
    }

    @Test
    void touchedFilesKeepTheVersionAndAChangedFileMakesANewOneForItsFunctionOnly() throws IOException {
        // given
        assertThat(deploy(definitions).exit()).isZero();

        // when: every file touched, then one changed
        Files.setLastModifiedTime(dir.resolve("fn/main.py"), FileTime.from(Instant.parse("2031-01-01T00:00:00Z")));
        Files.setLastModifiedTime(zip, FileTime.from(Instant.parse("2031-01-01T00:00:00Z")));
        CliRun touched = deploy(definitions);
        write("fn/lib/util.py", "X = 2\n");
        CliRun changed = deploy(definitions);

        // then
        assertThat(touched.out()).contains("function  greet   1").contains("function  thumbs  1");
        assertThat(changed.exit()).as(changed.err()).isZero();
        assertThat(changed.out()).contains("function  greet   2").contains("function  thumbs  1");
        assertThat(server.node.function("greet").map(FunctionInfo::versions).orElseThrow()).containsExactly(1, 2);
    }

    @Test
    void missingCodeIsReportedAtItsDefinitionAndNothingIsDeployed() throws IOException {
        // given
        Files.delete(zip);

        // when
        CliRun run = deploy(definitions);

        // then
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).contains(definitions + ":8:7: code: no file or directory at " + dir.resolve("defs/../build/thumbs.zip"))
                .contains("trib: nothing was deployed");
        assertThat(server.node.functions()).isEmpty();
    }

    @Test
    void resolvesCodeAgainstTheStandInNameOfAFileWhosePathCannotTravel() throws IOException {
        // given: a colon in the definition file's name makes it travel as file-1.yaml
        Path awkward = write("odd:defs/app.yaml", DEFINITIONS);

        // when
        CliRun run = deploy(awkward);

        // then
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(digest("greet")).isEqualTo(CodeArchive.pack(dir.resolve("fn")).sha256());
    }

    @Test
    void theApiRefusesACodePartNoFunctionNames() throws Exception {
        // given
        String body = part("definition", "app.yaml", "function: up\nruntime: python\ncode: up.py\n".getBytes(StandardCharsets.UTF_8))
                + part("code", "up.py", "def main(a): return a\n".getBytes(StandardCharsets.UTF_8))
                + part("code", "stray/lib.zip", Files.readAllBytes(zip)) + "--b\r\n".replace("\r\n", "--\r\n");

        // when
        HttpResponse<String> response = post(body);

        // then
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        JsonNode error = new ObjectMapper().readTree(response.body()).path("error");
        assertThat(error.path("code").asText()).isEqualTo("bad_request");
        assertThat(error.path("message").asText()).contains("'stray/lib.zip'");
        assertThat(error.path("details").get(0).path("filename").asText()).isEqualTo("stray/lib.zip");
        assertThat(server.node.functions()).isEmpty();
    }

    @Test
    void aRawFileSentWithCurlDeploysTheSameVersionAsTrib() throws Exception {
        // given: the function trib deploys from a single file
        Path single = write("single/app.yaml", "function: up\nruntime: python\ncode: up.py\n");
        write("single/up.py", "def main(a):\n    return a\n");
        assertThat(deploy(single).exit()).isZero();

        // when: curl -F definition=@app.yaml -F 'code=@up.py;filename=up.py'
        String body = part("definition", "app.yaml", Files.readAllBytes(single))
                + part("code", "up.py", Files.readAllBytes(dir.resolve("single/up.py"))) + "--b--\r\n";
        HttpResponse<String> response = post(body);

        // then
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).contains("\"version\":1");
        assertThat(server.node.function("up").orElseThrow().versions()).containsExactly(1);
    }

    private HttpResponse<String> post(String body) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.url() + "/api/v1/deploy"))
                .header("Authorization", "Bearer " + NodeServer.KEY).header("Content-Type", "multipart/form-data; boundary=b")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.ISO_8859_1)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** A part as ISO-8859-1 text, so binary content survives the string round trip byte for byte. */
    private static String part(String name, String filename, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(("--b\r\nContent-Disposition: form-data; name=\"" + name + "\"; filename=\"" + filename
                + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(content);
        out.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    private String digest(String function) {
        return server.node.function(function).orElseThrow().definition().path("code-sha256").asText();
    }

    private CliRun deploy(Path file) {
        return CliRun.against(server, "deploy", file.toString());
    }

    private Path write(String name, String text) throws IOException {
        Path path = dir.resolve(name);
        Files.createDirectories(path.getParent());
        return Files.writeString(path, text);
    }
}
