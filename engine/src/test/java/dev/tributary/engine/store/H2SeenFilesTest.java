package dev.tributary.engine.store;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The seen-files contract on H2 in file mode, a fresh directory per test. */
class H2SeenFilesTest extends SeenFilesContract {

    @TempDir
    Path dataDir;

    @Override
    protected JdbcRunStore openStore() {
        return JdbcRunStore.open(StoreConfig.h2(dataDir));
    }

    @Override
    protected JdbcRunStore reopenStore() {
        return JdbcRunStore.open(StoreConfig.h2(dataDir));
    }
}
