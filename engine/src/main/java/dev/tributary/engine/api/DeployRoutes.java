package dev.tributary.engine.api;

import dev.tributary.dsl.load.SourceText;
import dev.tributary.engine.node.CodeUpload;
import dev.tributary.engine.node.Engine;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * {@code POST /deploy}: one body of YAML or JSON definitions, or a {@code multipart/form-data}
 * body of several definition files and the function code they name ({@link MultipartDeploy});
 * either way one atomic set. A multipart body may be as large as the deploy body limit (code
 * travels in it); a plain one keeps the API's request body limit.
 */
final class DeployRoutes {

    /** Names the body in problems ({@code file:line:col}); the CLI sends the file's path. */
    static final String FILE_HEADER = "X-Tributary-File";
    private static final int MAX_NAME_LENGTH = 255;

    private final Engine engine;
    private final EngineCalls calls;
    private final BodyReader.Limit plainLimit;
    private final BodyReader.Limit multipartLimit;

    DeployRoutes(Engine engine, EngineCalls calls, long bodyLimit, long deployBodyLimit) {
        this.engine = engine;
        this.calls = calls;
        this.plainLimit = new BodyReader.Limit(bodyLimit, BodyReader.REQUEST_BODY);
        this.multipartLimit = new BodyReader.Limit(deployBodyLimit, "deploy body");
    }

    void mount(ApiRoutes routes) {
        routes.post("/deploy", new BodyReader(request -> MediaTypes.of(request).equals(MultipartDeploy.MEDIA_TYPE)
                ? multipartLimit : plainLimit), this::deploy);
    }

    private Future<Reply> deploy(RoutingContext ctx, Buffer body) {
        HttpServerRequest request = ctx.request();
        String type = MediaTypes.of(request);
        List<SourceText> files;
        List<CodeUpload> code = List.of();
        if (type.equals(MultipartDeploy.MEDIA_TYPE)) {
            MultipartDeploy.Parts parts = MultipartDeploy.read(request.getHeader("Content-Type"), body);
            files = parts.files();
            code = parts.code();
        } else if (type.startsWith("multipart/")) {
            throw ApiError.unsupportedMediaType("Expected definitions as YAML or JSON text, or as " + MultipartDeploy.MEDIA_TYPE
                    + " with one part per file, but the request's Content-Type is " + type);
        } else {
            files = List.of(single(request, type, body));
        }
        // One call for the whole set: the engine validates the files together and deploys all or none.
        List<CodeUpload> uploads = code;
        return calls.blocking(() -> engine.deploy(files, uploads))
                .map(deployed -> Reply.ok(Representations.deployed(deployed)));
    }

    private static SourceText single(HttpServerRequest request, String type, Buffer body) {
        String text = JsonBodies.utf8(body, "the definitions");
        if (text.isBlank()) {
            throw ApiError.badRequest("Expected YAML or JSON definitions in the request body, but it is empty");
        }
        return new SourceText(sourceName(request.getHeader(FILE_HEADER), type), text);
    }

    /**
     * The name problems are reported under. The definition parser also reads JSON-or-YAML from
     * it ({@code .json} is JSON), so an unnamed JSON body is called {@code request.json}.
     */
    static String sourceName(String header, String mediaType) {
        String cleaned = header == null ? "" : cleanName(header);
        if (!cleaned.isEmpty()) {
            return cleaned;
        }
        return MediaTypes.isJson(mediaType) ? "request.json" : "request.yaml";
    }

    /** A client-given file name fit to appear in problems: no control characters, at most 255 characters; may be empty. */
    static String cleanName(String name) {
        String cleaned = name.codePoints()
                .filter(c -> !Character.isISOControl(c))
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
                .toString().trim();
        return cleaned.length() > MAX_NAME_LENGTH ? cleaned.substring(0, MAX_NAME_LENGTH) : cleaned;
    }
}
