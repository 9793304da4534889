package dev.tributary.engine.store;

import org.junit.jupiter.api.extension.RegisterExtension;

/** The seen-files contract on the machine's PostgreSQL, in a schema of its own that is dropped afterwards. */
class PostgresSeenFilesTest extends SeenFilesContract {

    @RegisterExtension
    static final PostgresTestSchema SCHEMA = PostgresTestSchema.of("seen_files_test_");

    @Override
    protected JdbcRunStore openStore() {
        return SCHEMA.openEmpty("seen_files");
    }

    @Override
    protected JdbcRunStore reopenStore() {
        return SCHEMA.open();
    }
}
