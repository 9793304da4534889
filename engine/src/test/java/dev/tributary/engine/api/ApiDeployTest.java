package dev.tributary.engine.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.tributary.dsl.load.SourceText;
import dev.tributary.engine.node.CodeUpload;
import dev.tributary.engine.node.EngineException;
import dev.tributary.functions.code.CodeArchive;
import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code POST /deploy} with {@code multipart/form-data}: one atomic set of definition files. */
class ApiDeployTest {

    private static final String BOUNDARY = "b0undary-7f3a";
    private static final String MULTIPART = "multipart/form-data; boundary=" + BOUNDARY;
    private static final int LIMIT = 4096;

    private final FakeEngine engine = new FakeEngine();
    private final TestApi api = new TestApi(engine, ApiConfig.of("127.0.0.1", 0, TestApi.KEY).withBodyLimit(LIMIT)
            .withDeployBodyLimit(LIMIT));

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void deploysEveryDefinitionPartInOneEngineCallNamedByItsFilename() {
        // given: a workflow in one file calling a function defined in another
        String functions = "function: greet\nruntime: expr\nexpr: ${ input }\n";
        String workflow = "{\"workflow\": \"hello\", \"steps\": [{\"name\": \"hi\", \"call\": \"greet\"}]}";
        String body = part("definition", "defs/functions.yaml", "application/yaml", functions)
                + part("definition", "defs/hello.json", "application/json", workflow) + end();

        // when
        HttpResponse<String> response = deploy(MULTIPART, body);

        // then
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(Json.parse(response.body()).toString())
                .isEqualTo("{\"deployed\":[{\"kind\":\"function\",\"name\":\"greet\",\"version\":1},"
                        + "{\"kind\":\"workflow\",\"name\":\"hello\",\"version\":3}]}");
        assertThat(engine.deploys).containsExactly(List.of(
                new SourceText("defs/functions.yaml", functions), new SourceText("defs/hello.json", workflow)));
    }

    @Test
    void keepsTheUsersFileNamesSoProblemsPointAtThem() {
        // given
        JsonNode problem = JsonNodeFactory.instance.objectNode().put("file", "défs/ordre.yml").put("line", 4).put("column", 11)
                .put("path", "steps[0].call").put("message", "there is no function 'nope'");
        engine.failDeploysWith(new EngineException(EngineException.Code.INVALID_DEFINITION, "1 problem in 1 file", List.of(problem)));
        String body = part("definition", "a.yaml", "application/yaml", "function: a\n")
                + part("definition", "défs/ordre.yml", "application/yaml", "workflow: ordre\n") + end();

        // when
        HttpResponse<String> response = deploy(MULTIPART, body);

        // then: the engine saw the names as sent (non-ASCII and directories intact), and its problems pass through
        assertThat(engine.deploys.get(0)).extracting(SourceText::name).containsExactly("a.yaml", "défs/ordre.yml");
        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode error = Json.parse(response.body()).get("error");
        assertThat(error.get("code").asText()).isEqualTo("invalid_definition");
        assertThat(error.get("details")).containsExactly(problem);
    }

    @Test
    void readsThePartNamedManifestAsDefinitionsWhateverItsFilename() {
        // given: curl -F 'manifest=<tributary.yaml' sends no filename at all
        String body = "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"manifest\"\r\n\r\nworkflow: w\n\r\n"
                + part("manifest", "tributary", "application/json", "{\"function\": \"f\"}") + end();

        // when
        HttpResponse<String> response = deploy(MULTIPART, body);

        // then
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(engine.deploys.get(0)).containsExactly(new SourceText("manifest.yaml", "workflow: w\n"),
                new SourceText("tributary", "{\"function\": \"f\"}"));
    }

    @Test
    void handsCodePartsToTheEngineByTheirNormalisedPaths() throws IOException {
        // given: an archive as trib deploy packs it, a .zip as it is, and one raw file as curl sends it
        byte[] packed = CodeArchive.ofFile("main.py", "X = 1\n".getBytes(StandardCharsets.UTF_8)).bytes();
        byte[] zip = CodeArchive.ofFile("index.js", "exports.main = a => a;".getBytes(StandardCharsets.UTF_8)).bytes();
        byte[] body = concat(List.of(
                part("definition", "fns.yaml", "application/yaml", "function: f\n").getBytes(StandardCharsets.UTF_8),
                binaryPart("code", "./fn/", "application/zip", packed),
                binaryPart("code", "build/../thumbs.zip", "application/octet-stream", zip),
                binaryPart("code", "scripts/run.py", "text/x-python", "print(1)\n".getBytes(StandardCharsets.UTF_8)),
                end().getBytes(StandardCharsets.UTF_8)));

        // when
        HttpResponse<String> response = api.send(api.authorized("/deploy").header("Content-Type", MULTIPART)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));

        // then
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(engine.deploys.get(0)).extracting(SourceText::name).containsExactly("fns.yaml");
        assertThat(engine.codeUploads.get(0)).containsExactly(new CodeUpload("fn", packed), new CodeUpload("thumbs.zip", zip),
                new CodeUpload("scripts/run.py", CodeArchive.ofFile("run.py", "print(1)\n".getBytes(StandardCharsets.UTF_8)).bytes()));
    }

    @Test
    void refusesPartsThatAreNeitherDefinitionsNorCodeAndCodeWithoutAPath() {
        // given
        String note = part("definition", "fns.yaml", "application/yaml", "function: f\n")
                + part("attachment", "handler.zip", "application/zip", "PK-not-really")
                + "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhello\r\n" + end();
        String nameless = part("definition", "fns.yaml", "application/yaml", "function: f\n")
                + "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"code\"\r\n\r\nprint(1)\r\n" + end();
        String twice = part("definition", "fns.yaml", "application/yaml", "function: f\n")
                + part("code", "fn/a.py", "text/plain", "1") + part("code", "fn/./a.py", "text/plain", "2") + end();

        // when
        HttpResponse<String> response = deploy(MULTIPART, note);

        // then
        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode error = Json.parse(response.body()).get("error");
        assertThat(error.get("code").asText()).isEqualTo("bad_request");
        assertThat(error.get("message").asText()).contains("'attachment' (handler.zip)").contains("'note'").contains("neither");
        assertThat(error.get("details")).extracting(d -> d.get("part").asText()).containsExactly("attachment", "note");
        assertRefused(deploy(MULTIPART, nameless), 400, "to have a filename");
        assertRefused(deploy(MULTIPART, twice), 400, "two are for 'fn/a.py'");
        assertThat(engine.deploys).isEmpty();
    }

    @Test
    void givesMultipartDeploysTheirOwnLargerLimit() {
        // given: a deploy API whose deploy limit is larger than its body limit
        try (TestApi roomy = new TestApi(engine, ApiConfig.of("127.0.0.1", 0, TestApi.KEY).withBodyLimit(LIMIT)
                .withDeployBodyLimit(4 * LIMIT))) {
            byte[] code = new byte[2 * LIMIT];
            byte[] fits = concat(List.of(part("definition", "f.yaml", "application/yaml", "function: f\n")
                    .getBytes(StandardCharsets.UTF_8), binaryPart("code", "blob.zip", "application/zip", code),
                    end().getBytes(StandardCharsets.UTF_8)));
            byte[] tooLarge = concat(List.of(binaryPart("code", "blob.zip", "application/zip", new byte[4 * LIMIT]),
                    end().getBytes(StandardCharsets.UTF_8)));
            String plain = "workflow: big\n# " + "x".repeat(2 * LIMIT) + "\n";

            // when
            HttpResponse<String> multipart = roomy.send(roomy.authorized("/deploy").header("Content-Type", MULTIPART)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(fits)));
            HttpResponse<String> over = roomy.send(roomy.authorized("/deploy").header("Content-Type", MULTIPART)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(tooLarge)));
            HttpResponse<String> yaml = roomy.send(roomy.authorized("/deploy").header("Content-Type", "application/yaml")
                    .POST(HttpRequest.BodyPublishers.ofString(plain)));

            // then
            assertThat(multipart.statusCode()).as(multipart.body()).isEqualTo(200);
            assertThat(engine.codeUploads.get(0)).containsExactly(new CodeUpload("blob.zip", code));
            assertThat(over.statusCode()).isEqualTo(413);
            assertThat(over.body()).contains(4 * LIMIT + " bytes (deploy body limit)");
            assertThat(yaml.statusCode()).isEqualTo(413);
            assertThat(yaml.body()).contains(LIMIT + " bytes (request body limit)");
        }
    }

    @Test
    void refusesAMultipartBodyOverTheLimitBeforeReadingIt() throws IOException {
        // given: a body one byte past the limit, announced by its length
        String text = "workflow: big\n# " + "x".repeat(LIMIT) + "\n";
        byte[] body = (part("definition", "big.yaml", "application/yaml", text) + end()).getBytes(StandardCharsets.UTF_8);

        // when: only the head is sent
        String status = statusLineOf("POST /api/v1/deploy HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + TestApi.KEY
                + "\r\nContent-Type: " + MULTIPART + "\r\nContent-Length: " + body.length + "\r\n\r\n");
        // and a chunked one is cut off once past the limit
        HttpResponse<String> chunked = api.send(api.authorized("/deploy").header("Content-Type", MULTIPART)
                .POST(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofByteArray(body))));

        // then
        assertThat(status).startsWith("HTTP/1.1 413");
        assertThat(chunked.statusCode()).isEqualTo(413);
        assertThat(chunked.body()).contains("\"limit_exceeded\"").contains(LIMIT + " bytes");
        assertThat(engine.deploys).isEmpty();
    }

    @Test
    void refusesMalformedOrEmptyMultipartBodies() {
        String one = part("definition", "a.yaml", "application/yaml", "workflow: a\n");

        assertRefused(deploy(MULTIPART, one), 400, "closing boundary");
        assertRefused(deploy("multipart/form-data", one + end()), 400, "boundary parameter");
        assertRefused(deploy(MULTIPART, end()), 400, "there are none");
        assertRefused(deploy(MULTIPART, part("definition", "a.yaml", "application/yaml", " \n") + end()), 400, "all empty");
        assertRefused(deploy(MULTIPART, one + one + end()), 400, "two are called 'a.yaml'");
        assertRefused(deploy("multipart/mixed; boundary=" + BOUNDARY, one + end()), 415, "multipart/form-data");
        assertThat(engine.deploys).isEmpty();
    }

    @Test
    void refusesMorePartsThanTheDecoderKeeps() {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i <= MultipartDeploy.MAX_PARTS; i++) {
            body.append(part("definition", i + ".yaml", "application/yaml", ""));
        }
        body.append(end());

        assertThatThrownBy(() -> MultipartDeploy.read(MULTIPART, Buffer.buffer(body.toString())))
                .isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.status()).isEqualTo(400))
                .hasMessageContaining("at most " + MultipartDeploy.MAX_PARTS + " parts");
    }

    @Test
    void refusesAFileThatIsNotUtf8NamingIt() {
        byte[] body = concat(part("definition", "latin1.yaml", "application/yaml", "").replace("\r\n\r\n\r\n", "\r\n\r\n"),
                new byte[] {'a', ':', ' ', (byte) 0xE9, '\r', '\n'}, end());

        HttpResponse<String> response = api.send(api.authorized("/deploy").header("Content-Type", MULTIPART)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));

        assertRefused(response, 400, "'latin1.yaml' as UTF-8");
    }

    @Test
    void stillDeploysAPlainBody() {
        HttpResponse<String> response = deploy("application/yaml", "workflow: hello\nsteps: []\n");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(engine.deploys).containsExactly(List.of(new SourceText("request.yaml", "workflow: hello\nsteps: []\n")));
    }

    // --- helpers ------------------------------------------------------------------------------

    private HttpResponse<String> deploy(String contentType, String body) {
        return api.send(api.authorized("/deploy").header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)));
    }

    private static String part(String name, String filename, String contentType, String text) {
        return "--" + BOUNDARY + "\r\n"
                + "Content-Disposition: form-data; name=\"" + name + "\"; filename=\"" + filename + "\"\r\n"
                + "Content-Type: " + contentType + "\r\n\r\n"
                + text + "\r\n";
    }

    private static byte[] binaryPart(String name, String filename, String contentType, byte[] content) {
        return concat(List.of(("--" + BOUNDARY + "\r\n"
                + "Content-Disposition: form-data; name=\"" + name + "\"; filename=\"" + filename + "\"\r\n"
                + "Content-Type: " + contentType + "\r\n\r\n").getBytes(StandardCharsets.UTF_8), content,
                "\r\n".getBytes(StandardCharsets.UTF_8)));
    }

    private static byte[] concat(List<byte[]> pieces) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        pieces.forEach(out::writeBytes);
        return out.toByteArray();
    }

    private static String end() {
        return "--" + BOUNDARY + "--\r\n";
    }

    private static void assertRefused(HttpResponse<String> response, int status, String words) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(Json.parse(response.body()).get("error").get("message").asText()).contains(words);
    }

    private static byte[] concat(String head, byte[] middle, String tail) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(head.getBytes(StandardCharsets.UTF_8));
        out.writeBytes(middle);
        out.writeBytes(tail.getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    private String statusLineOf(String head) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", api.port)) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder line = new StringBuilder();
            int c;
            while ((c = in.read()) >= 0 && c != '\n') {
                if (c != '\r') {
                    line.append((char) c);
                }
            }
            return line.toString();
        }
    }
}
