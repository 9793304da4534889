package dev.tributary.engine.node;

import dev.tributary.engine.store.JdbcRunStore;
import dev.tributary.engine.store.StoreConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;

/** Opens the store a {@link NodeConfig} names: H2 in the data directory, or the JDBC URL given. */
final class NodeStore {

    private NodeStore() {
    }

    static JdbcRunStore open(NodeConfig config) {
        if (config.jdbcUrl() != null) {
            return JdbcRunStore.open(StoreConfig.of(config.jdbcUrl()), config.clock());
        }
        try {
            Files.createDirectories(config.dataDir());
        } catch (IOException e) {
            throw new UncheckedIOException("Expected to create the data directory " + config.dataDir() + ", but " + e.getMessage(), e);
        }
        return JdbcRunStore.open(StoreConfig.h2(config.dataDir()), config.clock());
    }
}
