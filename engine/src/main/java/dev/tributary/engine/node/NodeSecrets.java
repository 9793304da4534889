package dev.tributary.engine.node;

import dev.tributary.dsl.expr.SecretResolver;
import dev.tributary.engine.store.SealedSecret;
import dev.tributary.engine.store.SecretInfo;
import dev.tributary.engine.store.SecretStore;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's secrets: checked and sealed on the way into the store, opened on the way out for
 * {@code secret(name)}. Values looked up are cached briefly: a change made on this node shows at
 * once, one made on another node within {@link #TTL}.
 */
final class NodeSecrets implements SecretResolver {

    /** How long a value (or its absence) read from the store is trusted before it is read again. */
    static final Duration TTL = Duration.ofSeconds(2);
    static final int MAX_VALUE_BYTES = 64 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(NodeSecrets.class);
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");
    /** Names looked up but never stored would otherwise pile up: start afresh past this many. */
    private static final int MAX_CACHED = 10_000;

    private record Cached(Optional<String> value, Instant readAt) {
    }

    private final SecretStore store;
    private final SecretCipher cipher;
    private final Clock clock;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    NodeSecrets(SecretStore store, SecretCipher cipher, Clock clock) {
        this.store = store;
        this.cipher = cipher;
        this.clock = clock;
    }

    /**
     * The secrets of a node: the key in its data directory (made on first start) over {@code store}.
     * Refuses to start when the key does not open a secret already stored, rather than failing every
     * {@code secret()} later.
     */
    static NodeSecrets open(NodeConfig config, SecretStore store) {
        NodeSecrets secrets = new NodeSecrets(store, SecretKeyFile.loadOrCreate(config.dataDir()), config.clock());
        secrets.checkKey();
        return secrets;
    }

    private void checkKey() {
        List<SecretInfo> stored = store.list();
        if (!stored.isEmpty()) {
            store.get(stored.get(0).name()).ifPresent(cipher::open);
        }
    }

    void put(String name, String value) {
        checkName(name);
        if (value == null || value.isEmpty()) {
            throw new EngineException(EngineException.Code.BAD_REQUEST, "Expected a value for secret '" + name
                    + "', but it is empty");
        }
        int bytes = value.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_VALUE_BYTES) {
            throw new EngineException(EngineException.Code.BAD_REQUEST, "Expected the value of secret '" + name
                    + "' to be at most " + MAX_VALUE_BYTES + " bytes (UTF-8), but it is " + bytes + " bytes");
        }
        store.put(cipher.seal(name, value, clock.instant()));
        cache.remove(name);
    }

    List<SecretInfo> list() {
        return store.list();
    }

    boolean delete(String name) {
        checkName(name);
        boolean deleted = store.delete(name);
        cache.remove(name);
        return deleted;
    }

    /** The value of {@code name}, from the cache while it is fresh; empty for a name never stored (or not valid). */
    @Override
    public Optional<String> resolve(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        Cached cached = cache.get(name);
        if (cached != null && now.isBefore(cached.readAt().plus(TTL))) {
            return cached.value();
        }
        Optional<String> value;
        try {
            value = store.get(name).map(this::open);
        } catch (RuntimeException e) {
            // the expression that asked fails without the cause: say it here, where an operator looks
            LOG.error("Could not read secret '{}': {}", name, e.getMessage());
            throw e;
        }
        if (cache.size() >= MAX_CACHED) {
            cache.clear();
        }
        cache.put(name, new Cached(value, now));
        return value;
    }

    private String open(SealedSecret sealed) {
        return cipher.open(sealed);
    }

    private static void checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new EngineException(EngineException.Code.BAD_REQUEST, "Expected a secret name of 1 to 128 letters, digits,"
                    + " '_', '.' or '-' starting with a letter or digit, but got '" + name + "'");
        }
    }
}
