package dev.tributary.engine.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link CodeStore} must do. A backend's test extends this and says how to open a
 * store (a {@link RunStore} whose {@code code()} is tested) and how to open the same data again.
 */
abstract class CodeStoreContract {

    protected RunStore store;

    protected abstract RunStore openStore();

    protected abstract RunStore reopenStore();

    @BeforeEach
    void open() {
        store = openStore();
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void givesBackTheBytesStoredUnderTheirDigestAfterAReopen() {
        // given
        byte[] bytes = random(100_000, 1);
        String sha = sha256(bytes);

        // when
        store.code().put(sha, bytes);
        store.close();
        store = reopenStore();

        // then
        assertThat(store.code().get(sha)).hasValueSatisfying(read -> assertThat(read).isEqualTo(bytes));
        assertThat(store.code().get(sha256(new byte[] {9}))).isEmpty();
    }

    @Test
    void storingTheSameCodeAgainOrAtOnceDoesNothingMore() {
        // given
        byte[] bytes = random(10_000, 2);
        String sha = sha256(bytes);

        // when: again, and from several deploys at once
        store.code().put(sha, bytes);
        List<CompletableFuture<Void>> puts = IntStream.range(0, 4)
                .mapToObj(i -> CompletableFuture.runAsync(() -> store.code().put(sha, bytes))).toList();
        puts.forEach(CompletableFuture::join);

        // then
        assertThat(store.code().get(sha)).hasValueSatisfying(read -> assertThat(read).isEqualTo(bytes));
    }

    @Test
    void holdsAnArchiveAsLargeAsTheDeployLimit() {
        // given: 64 MiB that do not compress
        byte[] bytes = random(64 * 1024 * 1024, 3);
        String sha = sha256(bytes);

        // when
        store.code().put(sha, bytes);

        // then
        assertThat(store.code().get(sha)).hasValueSatisfying(read -> assertThat(sha256(read)).isEqualTo(sha));
    }

    @Test
    void refusesBytesThatDoNotHaveTheGivenDigest() {
        byte[] bytes = random(10, 4);

        assertThatThrownBy(() -> store.code().put(sha256(new byte[] {1}), bytes)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("to have that digest");
        assertThatThrownBy(() -> store.code().put("ABC", bytes)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("64 lowercase hex digits");
    }

    static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
