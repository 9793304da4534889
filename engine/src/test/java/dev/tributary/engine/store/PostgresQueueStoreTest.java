package dev.tributary.engine.store;

import org.junit.jupiter.api.extension.RegisterExtension;

/** The queue store contract on the machine's PostgreSQL, in a schema of its own that is dropped afterwards. */
class PostgresQueueStoreTest extends QueueStoreContract {

    @RegisterExtension
    static final PostgresTestSchema SCHEMA = PostgresTestSchema.of("queue_test_");

    @Override
    protected RunStore openStore() {
        return SCHEMA.openEmpty("queue_messages");
    }

    @Override
    protected RunStore reopenStore() {
        return SCHEMA.open();
    }
}
