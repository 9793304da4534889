package dev.tributary.engine.store;

import java.util.Optional;

/**
 * Function code, content-addressed: the archive uploaded with a deploy, stored under its SHA-256
 * so that every node can fetch exactly the bytes a function version names ({@code code-sha256}).
 * Entries are never changed. Methods may block on the database (never call them from an event loop).
 */
public interface CodeStore {

    /**
     * Stores {@code bytes} under {@code sha256}; storing a digest that is already there does nothing.
     *
     * @param sha256 64 lowercase hex digits, the SHA-256 of {@code bytes}
     * @throws IllegalArgumentException when {@code sha256} is not the digest of {@code bytes}
     */
    void put(String sha256, byte[] bytes);

    /** The bytes stored under {@code sha256}, if any. */
    Optional<byte[]> get(String sha256);
}
