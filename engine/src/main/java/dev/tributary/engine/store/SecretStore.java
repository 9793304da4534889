package dev.tributary.engine.store;

import java.util.List;
import java.util.Optional;

/**
 * Secrets as the database holds them: sealed. The store never sees a value in clear; sealing and
 * opening happen above it, with the node's key. Methods may block on the database (never call them
 * from an event loop).
 */
public interface SecretStore {

    /** Stores {@code secret}, replacing what was stored under its name. */
    void put(SealedSecret secret);

    /** The sealed secret stored under {@code name}, if any. */
    Optional<SealedSecret> get(String name);

    /** Every stored secret's name and when it was last written, by name; never a value. */
    List<SecretInfo> list();

    /** Removes the secret; false when there was none. */
    boolean delete(String name);
}
