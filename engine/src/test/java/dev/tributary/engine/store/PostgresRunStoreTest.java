package dev.tributary.engine.store;

import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The contract on the PostgreSQL server of the machine (see shared/STACK.md), in a schema of its
 * own that is dropped afterwards; every test starts from empty tables.
 */
class PostgresRunStoreTest extends RunStoreContract {

    @RegisterExtension
    static final PostgresTestSchema SCHEMA = PostgresTestSchema.of("store_test_");

    @Override
    protected RunStore openStore() {
        return SCHEMA.openEmpty("definitions", "runs", "run_history", "tasks", "events");
    }

    @Override
    protected RunStore reopenStore() {
        return SCHEMA.open();
    }
}
