package dev.tributary.engine.store;

import org.junit.jupiter.api.extension.RegisterExtension;

/** The stream store contract on the machine's PostgreSQL, in a schema of its own that is dropped afterwards. */
class PostgresStreamStoreTest extends StreamStoreContract {

    @RegisterExtension
    static final PostgresTestSchema SCHEMA = PostgresTestSchema.of("stream_test_");

    @Override
    protected RunStore openStore() {
        return SCHEMA.openEmpty("stream_records", "stream_shards", "stream_checkpoints");
    }

    @Override
    protected RunStore reopenStore() {
        return SCHEMA.open();
    }
}
