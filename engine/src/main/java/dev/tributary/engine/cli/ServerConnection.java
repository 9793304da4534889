package dev.tributary.engine.cli;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Which server a client command talks to, and with which key: {@code --server}/{@code --api-key},
 * else {@code TRIBUTARY_URL}/{@code TRIBUTARY_API_KEY}, else the local server of the data
 * directory ({@code server.json}, {@code admin.key}). URL and key are resolved separately, so
 * {@code --server} against a local node still picks up the local key.
 *
 * @param root   the server's root URL, without {@code /api/v1}
 * @param apiKey the key to send, or null to send none
 */
record ServerConnection(URI root, String apiKey) {

    static final String URL_ENV = "TRIBUTARY_URL";
    static final String KEY_ENV = "TRIBUTARY_API_KEY";

    static ServerConnection resolve(String server, String apiKey, Path dataDir, Map<String, String> env) {
        String url = firstNonBlank(server, env.get(URL_ENV))
                .or(() -> LocalServer.find(dataDir).map(LocalServer::url))
                .orElseThrow(() -> new CliFailure("no server to talk to: pass --server URL, set " + URL_ENV
                        + ", or start one with 'trib server' (no running server is recorded in "
                        + LocalServer.file(dataDir) + ")"));
        String key = firstNonBlank(apiKey, env.get(KEY_ENV)).or(() -> AdminKey.find(dataDir)).orElse(null);
        return new ServerConnection(root(url), key);
    }

    /** Accepts {@code http://host:port}, with or without a trailing slash or {@code /api/v1}. */
    static URI root(String url) {
        String trimmed = url.trim();
        while (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        if (trimmed.endsWith("/api/v1")) {
            trimmed = trimmed.substring(0, trimmed.length() - "/api/v1".length());
        }
        URI uri;
        try {
            uri = URI.create(trimmed);
        } catch (IllegalArgumentException e) {
            throw new CliFailure("'" + url + "' is not a server URL; use one like http://127.0.0.1:8080");
        }
        if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https")) || uri.getHost() == null) {
            throw new CliFailure("'" + url + "' is not a server URL; use one like http://127.0.0.1:8080");
        }
        return uri;
    }

    private static Optional<String> firstNonBlank(String first, String second) {
        if (first != null && !first.isBlank()) {
            return Optional.of(first.trim());
        }
        if (second != null && !second.isBlank()) {
            return Optional.of(second.trim());
        }
        return Optional.empty();
    }
}
