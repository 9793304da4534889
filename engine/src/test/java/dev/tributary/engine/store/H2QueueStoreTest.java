package dev.tributary.engine.store;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The queue store contract on H2 in file mode, a fresh directory per test. */
class H2QueueStoreTest extends QueueStoreContract {

    @TempDir
    Path dataDir;

    @Override
    protected RunStore openStore() {
        return JdbcRunStore.open(StoreConfig.h2(dataDir));
    }

    @Override
    protected RunStore reopenStore() {
        return JdbcRunStore.open(StoreConfig.h2(dataDir));
    }
}
