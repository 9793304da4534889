package dev.tributary.engine.api;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Who may call a route: the admin key as {@code Authorization: Bearer <key>}, anyone (health), or
 * anyone on loopback and key holders elsewhere (metrics).
 */
final class Access {

    enum Rule { KEY, OPEN, LOOPBACK_OR_KEY }

    private final byte[] keyDigest;
    private final boolean metricsNeedKeyOffLoopback;

    Access(String apiKey, boolean metricsNeedKeyOffLoopback) {
        this.keyDigest = sha256(apiKey);
        this.metricsNeedKeyOffLoopback = metricsNeedKeyOffLoopback;
    }

    /** Throws the 401 to answer when the request may not use a route under {@code rule}. */
    void check(Rule rule, HttpServerRequest request) {
        switch (rule) {
            case OPEN -> { }
            case LOOPBACK_OR_KEY -> {
                if (metricsNeedKeyOffLoopback && !isLoopback(request.remoteAddress())) {
                    checkKey(request);
                }
            }
            case KEY -> checkKey(request);
        }
    }

    private void checkKey(HttpServerRequest request) {
        String header = request.getHeader("Authorization");
        if (header == null || header.isBlank()) {
            throw ApiError.unauthorized("This route needs the API key: send 'Authorization: Bearer <key>' "
                    + "(the server prints where its admin key is when it starts)");
        }
        String presented = header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : "";
        // Compare digests, not the strings: equal-length inputs make the comparison time independent
        // of both the key's length and of how many leading characters a guess got right.
        if (presented.isEmpty() || !MessageDigest.isEqual(keyDigest, sha256(presented))) {
            throw ApiError.unauthorized("The API key in the Authorization header is not valid for this server");
        }
    }

    /** Whether {@code presented} is the admin key (compared as digests, in constant time). */
    boolean isApiKey(String presented) {
        return presented != null && !presented.isEmpty() && MessageDigest.isEqual(keyDigest, sha256(presented));
    }

    static boolean isLoopback(SocketAddress address) {
        if (address == null || address.hostAddress() == null) {
            return false;
        }
        try {
            // A literal IP address: no name lookup happens here.
            return InetAddress.getByName(address.hostAddress()).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Expected every Java runtime to offer SHA-256, but this one does not", e);
        }
    }
}
