package dev.tributary.engine.api;

import dev.tributary.dsl.load.SourceText;
import dev.tributary.engine.node.Engine;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/** {@code POST /deploy}: one body of YAML or JSON definitions, deployed as one atomic set. */
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
        if (type.startsWith("multipart/")) {
            throw ApiError.unsupportedMediaType("Multipart deploys (definitions with code archives) are not supported yet; "
                    + "send the definitions as YAML or JSON text and keep function code inline");
        }
        String text = JsonBodies.utf8(body, "the definitions");
        if (text.isBlank()) {
            throw ApiError.badRequest("Expected YAML or JSON definitions in the request body, but it is empty");
        }
        SourceText source = new SourceText(sourceName(request.getHeader(FILE_HEADER), type), text);
        return calls.blocking(() -> engine.deploy(List.of(source)))
                .map(deployed -> Reply.ok(Representations.deployed(deployed)));
    }

    /**
     * The name problems are reported under. The definition parser also reads JSON-or-YAML from
     * it ({@code .json} is JSON), so an unnamed JSON body is called {@code request.json}.
     */
    static String sourceName(String header, String mediaType) {
        if (header != null) {
            String cleaned = header.codePoints()
                    .filter(c -> !Character.isISOControl(c))
                    .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
                    .toString().trim();
            if (!cleaned.isEmpty()) {
                return cleaned.length() > MAX_NAME_LENGTH ? cleaned.substring(0, MAX_NAME_LENGTH) : cleaned;
            }
        }
        return MediaTypes.isJson(mediaType) ? "request.json" : "request.yaml";
    }
}
