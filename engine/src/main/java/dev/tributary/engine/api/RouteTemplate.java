package dev.tributary.engine.api;

import io.vertx.core.http.HttpMethod;

/** A served route as OpenAPI writes it: method and a path below {@code /api/v1} with {@code {param}}s. */
record RouteTemplate(HttpMethod method, String path) {

    static final String BASE = "/api/v1";

    /** The full path in Vert.x syntax ({@code /api/v1/runs/:id}). */
    String routerPath() {
        return BASE + path.replaceAll("\\{([A-Za-z][A-Za-z0-9]*)}", ":$1");
    }

    /** The full template, as metrics tag it ({@code /api/v1/runs/{id}}). */
    String fullPath() {
        return BASE + path;
    }

    @Override
    public String toString() {
        return method + " " + path;
    }
}
