package dev.tributary.engine.api;

import dev.tributary.dsl.schema.DslSchema;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The documents that describe the API and the DSL: {@code /openapi.yaml} and {@code /schema/dsl.json}. */
final class DocumentRoutes {

    static final String OPENAPI_RESOURCE = "/dev/tributary/engine/api/openapi.yaml";

    private final Buffer openApi;
    private final Buffer dslSchema;

    /** Loads both up front: off the event loop, and a missing resource fails start-up, not a request. */
    DocumentRoutes() {
        this.openApi = Buffer.buffer(resource(OPENAPI_RESOURCE));
        this.dslSchema = Buffer.buffer(DslSchema.json());
    }

    void mount(ApiRoutes routes) {
        routes.get("/openapi.yaml", (ctx, body) -> Future.succeededFuture(Reply.text(200, "application/yaml", openApi)));
        routes.get("/schema/dsl.json", (ctx, body) -> Future.succeededFuture(Reply.text(200, "application/schema+json", dslSchema)));
    }

    static byte[] resource(String path) {
        try (InputStream in = DocumentRoutes.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("Expected " + path + " on the class path, but it is missing");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("Expected to read " + path + ", but reading failed", e);
        }
    }
}
