package dev.tributary.engine.api;

import io.vertx.core.http.HttpServerRequest;
import java.util.Locale;

/** Content-Type checks shared by the routes that read a body. */
final class MediaTypes {

    static final String CLOUDEVENTS_JSON = "application/cloudevents+json";
    static final String CLOUDEVENTS_BATCH = "application/cloudevents-batch+json";

    private MediaTypes() {
    }

    /** The media type without parameters, lower-case; empty when the request has none. */
    static String of(HttpServerRequest request) {
        String header = request.getHeader("Content-Type");
        if (header == null) {
            return "";
        }
        int semicolon = header.indexOf(';');
        return (semicolon < 0 ? header : header.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
    }

    static boolean isJson(String mediaType) {
        return mediaType.equals("application/json") || mediaType.equals("text/json")
                || (mediaType.startsWith("application/") && mediaType.endsWith("+json"));
    }

    static boolean isText(String mediaType) {
        return mediaType.startsWith("text/") || mediaType.equals("application/xml") || mediaType.endsWith("+xml")
                || mediaType.equals("application/yaml") || mediaType.equals("application/x-www-form-urlencoded");
    }

    /**
     * Checks the body of a JSON route. No Content-Type, and {@code x-www-form-urlencoded} (what
     * {@code curl -d} sends unless told otherwise), are read as JSON too, so the obvious curl
     * command works; anything else is refused rather than guessed at.
     */
    static void requireJson(HttpServerRequest request, String what) {
        String type = of(request);
        if (type.isEmpty() || isJson(type) || type.equals("application/x-www-form-urlencoded")) {
            return;
        }
        throw ApiError.unsupportedMediaType("Expected " + what + " as application/json, but the request's Content-Type is "
                + type);
    }
}
