package dev.tributary.engine.store;

import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The activation store contract on the PostgreSQL server of the machine (see shared/STACK.md), in
 * a schema of its own that is dropped afterwards; every test starts from an empty table.
 */
class PostgresActivationStoreTest extends ActivationStoreContract {

    @RegisterExtension
    static final PostgresTestSchema SCHEMA = PostgresTestSchema.of("activation_test_");

    @Override
    protected JdbcRunStore openStore() {
        return SCHEMA.openEmpty("activations");
    }
}
