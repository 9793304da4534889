package dev.tributary.engine.node;

import java.time.Clock;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ids for new runs: UUIDs of version 7 (RFC 9562), whose leading 48 bits are the milliseconds of
 * the start. Runs started together sort together, so the store's indexes on run id grow at one
 * end instead of touching a random page per run (on H2 that is the difference between small and
 * large file chunks per transaction), and ids read in start order.
 */
final class RunIds {

    private final Clock clock;

    RunIds(Clock clock) {
        this.clock = clock;
    }

    String next() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long millis = clock.millis();
        long msb = (millis << 16) | 0x7000L | (random.nextLong() & 0x0FFFL);
        long lsb = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(msb, lsb).toString();
    }
}
