package dev.tributary.functions.worker;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * What makes workers interchangeable: the same function version, code directory and resolved
 * environment. A redeploy or a rotated secret in {@code env} gets new workers; the old ones drain
 * and are reaped.
 */
record PoolKey(String functionName, int version, Path codeDirectory, String envHash) {

    static PoolKey of(String functionName, int version, Path codeDirectory, Map<String, String> env) {
        return new PoolKey(functionName, version, codeDirectory, hash(env));
    }

    private static String hash(Map<String, String> env) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (Map.Entry<String, String> entry : new TreeMap<>(env).entrySet()) {
                digest.update(entry.getKey().getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
                digest.update(entry.getValue().getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
            }
            return HexFormat.of().formatHex(digest.digest(), 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Expected every JVM to have SHA-256", e);
        }
    }
}
