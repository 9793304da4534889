package dev.tributary.engine.store;

import org.junit.jupiter.api.extension.RegisterExtension;

/** The code store contract on the machine's PostgreSQL, in a schema of its own that is dropped afterwards. */
class PostgresCodeStoreTest extends CodeStoreContract {

    @RegisterExtension
    static final PostgresTestSchema SCHEMA = PostgresTestSchema.of("code_test_");

    @Override
    protected RunStore openStore() {
        return SCHEMA.openEmpty("function_code");
    }

    @Override
    protected RunStore reopenStore() {
        return SCHEMA.open();
    }
}
