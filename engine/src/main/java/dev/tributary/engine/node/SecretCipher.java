package dev.tributary.engine.node;

import dev.tributary.engine.store.SealedSecret;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Instant;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals secret values with AES-256-GCM: a fresh random 12-byte nonce per write, a 128-bit tag, and
 * the secret's name as associated data, so a sealed value copied to another name does not open.
 * Thread-safe (a {@link Cipher} per call).
 */
final class SecretCipher {

    private static final String TRANSFORMATION = "AES/GCM/NoPadding";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKeySpec key;
    private final Path keyFile;
    private final SecureRandom random = new SecureRandom();

    /** @param keyFile where the key came from, named in errors */
    SecretCipher(byte[] key, Path keyFile) {
        if (key.length != SecretKeyFile.KEY_BYTES) {
            throw new IllegalArgumentException("Expected a key of " + SecretKeyFile.KEY_BYTES + " bytes, but got " + key.length);
        }
        this.key = new SecretKeySpec(key, "AES");
        this.keyFile = keyFile;
    }

    Path keyFile() {
        return keyFile;
    }

    SealedSecret seal(String name, String value, Instant at) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, name, nonce);
            return new SealedSecret(name, cipher.doFinal(value.getBytes(StandardCharsets.UTF_8)), nonce, at);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Expected to seal secret '" + name + "' with AES-256-GCM, but " + e.getMessage(), e);
        }
    }

    /** The value in clear; fails, naming the key file, when this key (or this name) is not the one it was sealed with. */
    String open(SealedSecret sealed) {
        try {
            Cipher cipher = cipher(Cipher.DECRYPT_MODE, sealed.name(), sealed.nonce());
            return new String(cipher.doFinal(sealed.ciphertext()), StandardCharsets.UTF_8);
        } catch (AEADBadTagException e) {
            throw new IllegalStateException("Expected to open secret '" + sealed.name() + "' with the key in " + keyFile
                    + ", but it does not open: it was sealed with another key (every node needs the same " + SecretKeyFile.NAME
                    + ": copy it from the node that stored the secret), or under another name, or its stored bytes were changed");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Expected to open secret '" + sealed.name() + "' with AES-256-GCM, but "
                    + e.getMessage(), e);
        }
    }

    private Cipher cipher(int mode, String name, byte[] nonce) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance(TRANSFORMATION);
        cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
        cipher.updateAAD(name.getBytes(StandardCharsets.UTF_8));
        return cipher;
    }
}
