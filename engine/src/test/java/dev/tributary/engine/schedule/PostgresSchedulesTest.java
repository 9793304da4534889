package dev.tributary.engine.schedule;

import dev.tributary.engine.store.PostgresTestSchema;
import dev.tributary.engine.store.StoreConfig;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The contract on the machine's PostgreSQL, in a schema of its own that is dropped afterwards. */
class PostgresSchedulesTest extends SchedulesContract {

    @RegisterExtension
    static final PostgresTestSchema SCHEMA = PostgresTestSchema.of("schedules_test_");

    @Override
    protected StoreConfig storeConfig() {
        return SCHEMA.config();
    }

    @Override
    protected boolean postgres() {
        return true;
    }
}
