package dev.tributary.engine.api;

import dev.tributary.dsl.load.SourceText;
import dev.tributary.engine.node.Engine;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * {@code POST /deploy}: one body of YAML or JSON definitions, or a {@code multipart/form-data}
 * body of several definition files ({@link MultipartDeploy}); either way one atomic set.
 */
final class DeployRoutes {

    /** Names the body in problems ({@code file:line:col}); the CLI sends the file's path. */
    static final String FILE_HEADER = "X-Tributary-File";
    private static final int MAX_NAME_LENGTH = 255;

    private final Engine engine;
    private final EngineCalls calls;

    DeployRoutes(Engine engine, EngineCalls calls) {
        this.engine = engine;
        this.calls = calls;
    }

    void mount(ApiRoutes routes) {
        routes.post("/deploy", this::deploy);
    }

    private Future<Reply> deploy(RoutingContext ctx, Buffer body) {
        HttpServerRequest request = ctx.request();
        String type = MediaTypes.of(request);
        List<SourceText> files;
        if (type.equals(MultipartDeploy.MEDIA_TYPE)) {
            files = MultipartDeploy.definitions(request.getHeader("Content-Type"), body);
        } else if (type.startsWith("multipart/")) {
            throw ApiError.unsupportedMediaType("Expected definitions as YAML or JSON text, or as " + MultipartDeploy.MEDIA_TYPE
                    + " with one part per file, but the request's Content-Type is " + type);
        } else {
            files = List.of(single(request, type, body));
        }
        // One call for the whole set: the engine validates the files together and deploys all or none.
        return calls.blocking(() -> engine.deploy(files))
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
