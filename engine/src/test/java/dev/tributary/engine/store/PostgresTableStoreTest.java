package dev.tributary.engine.store;

import org.junit.jupiter.api.extension.RegisterExtension;

/** The table store contract on the machine's PostgreSQL, in a schema of its own that is dropped afterwards. */
class PostgresTableStoreTest extends TableStoreContract {

    @RegisterExtension
    static final PostgresTestSchema SCHEMA = PostgresTestSchema.of("table_test_");

    @Override
    protected RunStore openStore() {
        return SCHEMA.openEmpty(CLOCK, "table_items");
    }

    @Override
    protected RunStore reopenStore() {
        return SCHEMA.open(CLOCK);
    }
}
