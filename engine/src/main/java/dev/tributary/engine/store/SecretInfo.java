package dev.tributary.engine.store;

import java.time.Instant;

/** What may be shown of a secret: its name and when it was last written; never its value. */
public record SecretInfo(String name, Instant updatedAt) {
}
