package dev.tributary.engine.store;

import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * A secret's value sealed for storage: the AES-GCM ciphertext (tag included) and the nonce it was
 * sealed with. {@code updatedAt} is kept to the microsecond.
 */
public record SealedSecret(String name, byte[] ciphertext, byte[] nonce, Instant updatedAt) {

    public SealedSecret {
        Objects.requireNonNull(name, "name");
        ciphertext = ciphertext.clone();
        nonce = nonce.clone();
        Objects.requireNonNull(updatedAt, "updatedAt");
    }

    @Override
    public byte[] ciphertext() {
        return ciphertext.clone();
    }

    @Override
    public byte[] nonce() {
        return nonce.clone();
    }

    public SecretInfo info() {
        return new SecretInfo(name, updatedAt);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SealedSecret s && name.equals(s.name) && Arrays.equals(ciphertext, s.ciphertext)
                && Arrays.equals(nonce, s.nonce) && updatedAt.equals(s.updatedAt);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, Arrays.hashCode(ciphertext), Arrays.hashCode(nonce), updatedAt);
    }

    /** Never the sealed bytes either: they are no use to a reader of logs. */
    @Override
    public String toString() {
        return "SealedSecret[" + name + ", updatedAt=" + updatedAt + "]";
    }
}
