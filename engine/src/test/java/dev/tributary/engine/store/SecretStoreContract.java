package dev.tributary.engine.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link SecretStore} must do. A backend's test extends this and says how to open a
 * store (a {@link RunStore} whose {@code secrets()} is tested) and how to open the same data again.
 */
abstract class SecretStoreContract {

    private static final Instant T0 = Instant.parse("2026-03-01T09:00:00.123456Z");

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
    void givesBackWhatWasStoredAfterAReopen() {
        // given
        SealedSecret secret = sealed("gh-hook", new byte[] {1, 2, 3, 4}, new byte[12], T0);

        // when
        store.secrets().put(secret);
        store.close();
        store = reopenStore();

        // then
        assertThat(store.secrets().get("gh-hook")).contains(secret);
        assertThat(store.secrets().get("other")).isEmpty();
    }

    @Test
    void replacesTheValueOfANameWrittenAgain() {
        // given
        store.secrets().put(sealed("tok", new byte[] {1}, new byte[] {7}, T0));

        // when
        SealedSecret second = sealed("tok", new byte[] {2, 2}, new byte[] {8}, T0.plusSeconds(5));
        store.secrets().put(second);

        // then
        assertThat(store.secrets().get("tok")).contains(second);
        assertThat(store.secrets().list()).containsExactly(new SecretInfo("tok", T0.plusSeconds(5)));
    }

    @Test
    void listsNamesAndTimesByName() {
        // given
        store.secrets().put(sealed("zeta", new byte[] {1}, new byte[] {1}, T0));
        store.secrets().put(sealed("alpha.key", new byte[] {2}, new byte[] {2}, T0.plusMillis(1)));

        // when
        List<SecretInfo> listed = store.secrets().list();

        // then
        assertThat(listed).containsExactly(new SecretInfo("alpha.key", T0.plusMillis(1)), new SecretInfo("zeta", T0));
    }

    @Test
    void deletesAndSaysWhetherThereWasOne() {
        // given
        store.secrets().put(sealed("tok", new byte[] {1}, new byte[] {1}, T0));

        // when / then
        assertThat(store.secrets().delete("tok")).isTrue();
        assertThat(store.secrets().delete("tok")).isFalse();
        assertThat(store.secrets().get("tok")).isEmpty();
        assertThat(store.secrets().list()).isEmpty();
    }

    @Test
    void concurrentWritesOfANewNameLeaveOneOfThem() {
        // when: several nodes set the same new secret at once
        List<SealedSecret> writes = IntStream.range(0, 6)
                .mapToObj(i -> sealed("race", new byte[] {(byte) i}, new byte[] {(byte) i}, T0.plusMillis(i))).toList();
        writes.stream().map(w -> CompletableFuture.runAsync(() -> store.secrets().put(w))).toList()
                .forEach(CompletableFuture::join);

        // then
        assertThat(store.secrets().get("race")).hasValueSatisfying(read -> assertThat(writes).contains(read));
        assertThat(store.secrets().list()).hasSize(1);
    }

    @Test
    void holdsAValueAsLargeAsTheLimit() {
        // given: 64 KiB of value plus the 16-byte GCM tag
        byte[] ciphertext = CodeStoreContract.random(64 * 1024 + 16, 5);

        // when
        store.secrets().put(sealed("big", ciphertext, new byte[12], T0));

        // then
        assertThat(store.secrets().get("big")).hasValueSatisfying(read -> assertThat(read.ciphertext()).isEqualTo(ciphertext));
    }

    private static SealedSecret sealed(String name, byte[] ciphertext, byte[] nonce, Instant at) {
        return new SealedSecret(name, ciphertext, nonce, at);
    }
}
