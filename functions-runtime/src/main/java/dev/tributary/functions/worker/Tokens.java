package dev.tributary.functions.worker;

import java.security.SecureRandom;
import java.util.HexFormat;

/** Unguessable tokens a started process proves itself with when it connects. */
final class Tokens {

    private final SecureRandom random = new SecureRandom();

    String next() {
        byte[] bytes = new byte[12];
        random.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
