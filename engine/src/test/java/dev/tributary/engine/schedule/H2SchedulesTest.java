package dev.tributary.engine.schedule;

import dev.tributary.engine.store.StoreConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The contract on H2 in file mode (PostgreSQL mode, Quartz's StdJDBCDelegate), a fresh directory per test. */
class H2SchedulesTest extends SchedulesContract {

    @TempDir
    Path dataDir;

    @Override
    protected StoreConfig storeConfig() {
        return StoreConfig.h2(dataDir);
    }

    @Override
    protected boolean postgres() {
        return false;
    }
}
