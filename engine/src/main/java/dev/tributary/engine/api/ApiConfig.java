package dev.tributary.engine.api;

import java.util.Objects;

/**
 * How the HTTP API listens and what it accepts (SPEC §4, §5).
 *
 * @param host                       the interface to bind; {@code 127.0.0.1} keeps the node private
 * @param port                       the port to bind; 0 picks a free one ({@link ApiServer#start()} returns it)
 * @param apiKey                     the admin key every {@code /api/v1} route but health (and local metrics) wants
 * @param bodyLimit                  the largest request body in bytes; larger ones are refused with 413 unread
 * @param deployBodyLimit            the largest multipart deploy body in bytes (definitions with their function
 *                                   code); a plain YAML or JSON deploy keeps {@code bodyLimit}
 * @param maxNestingDepth            the deepest JSON nesting a request body may have
 * @param metricsNeedKeyOffLoopback  whether {@code /metrics} asks callers that are not on loopback for the key
 */
public record ApiConfig(String host, int port, String apiKey, long bodyLimit, long deployBodyLimit, int maxNestingDepth,
                        boolean metricsNeedKeyOffLoopback) {

    public static final long DEFAULT_BODY_LIMIT = 1024 * 1024;
    /** Function code travels in the deploy body: a function with vendored dependencies needs more than 1 MiB. */
    public static final long DEFAULT_DEPLOY_BODY_LIMIT = 64L * 1024 * 1024;
    public static final int DEFAULT_MAX_NESTING_DEPTH = 64;

    public ApiConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(apiKey, "apiKey");
        if (host.isBlank()) {
            throw new IllegalArgumentException("Expected a host to bind the API to, but it is blank");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("Expected an API port in 0..65535, but it is " + port);
        }
        if (apiKey.isBlank()) {
            throw new IllegalArgumentException("Expected an admin API key, but it is blank");
        }
        if (bodyLimit < 1) {
            throw new IllegalArgumentException("Expected a positive request body limit, but it is " + bodyLimit);
        }
        if (deployBodyLimit < 1) {
            throw new IllegalArgumentException("Expected a positive deploy body limit, but it is " + deployBodyLimit);
        }
        if (maxNestingDepth < 1) {
            throw new IllegalArgumentException("Expected a positive JSON nesting limit, but it is " + maxNestingDepth);
        }
    }

    /** The SPEC §4 defaults: 1 MiB bodies (64 MiB for deploys with code), nesting depth 64, metrics open on loopback only. */
    public static ApiConfig of(String host, int port, String apiKey) {
        return new ApiConfig(host, port, apiKey, DEFAULT_BODY_LIMIT, DEFAULT_DEPLOY_BODY_LIMIT, DEFAULT_MAX_NESTING_DEPTH, true);
    }

    public ApiConfig withBodyLimit(long bytes) {
        return new ApiConfig(host, port, apiKey, bytes, deployBodyLimit, maxNestingDepth, metricsNeedKeyOffLoopback);
    }

    public ApiConfig withDeployBodyLimit(long bytes) {
        return new ApiConfig(host, port, apiKey, bodyLimit, bytes, maxNestingDepth, metricsNeedKeyOffLoopback);
    }

    public ApiConfig withMaxNestingDepth(int depth) {
        return new ApiConfig(host, port, apiKey, bodyLimit, deployBodyLimit, depth, metricsNeedKeyOffLoopback);
    }

    public ApiConfig withMetricsNeedKeyOffLoopback(boolean needKey) {
        return new ApiConfig(host, port, apiKey, bodyLimit, deployBodyLimit, maxNestingDepth, needKey);
    }

    /** Keeps the key out of logs and exception messages. */
    @Override
    public String toString() {
        return "ApiConfig[host=" + host + ", port=" + port + ", apiKey=***, bodyLimit=" + bodyLimit
                + ", deployBodyLimit=" + deployBodyLimit + ", maxNestingDepth=" + maxNestingDepth + ", metricsNeedKeyOffLoopback=" + metricsNeedKeyOffLoopback + "]";
    }
}
