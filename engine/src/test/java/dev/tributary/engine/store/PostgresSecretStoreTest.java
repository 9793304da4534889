package dev.tributary.engine.store;

import org.junit.jupiter.api.extension.RegisterExtension;

/** The secret store contract on the machine's PostgreSQL, in a schema of its own that is dropped afterwards. */
class PostgresSecretStoreTest extends SecretStoreContract {

    @RegisterExtension
    static final PostgresTestSchema SCHEMA = PostgresTestSchema.of("secrets_test_");

    @Override
    protected RunStore openStore() {
        return SCHEMA.openEmpty("secrets");
    }

    @Override
    protected RunStore reopenStore() {
        return SCHEMA.open();
    }
}
